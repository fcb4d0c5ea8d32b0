import type { SeededRandom } from "../seeded_random.ts";

/** One generated problem, before it becomes a Problem row. */
export interface Item {
  /** The question, plain ASCII. */
  problem: string;
  /** The exact gold answer. */
  answer: bigint;
  /**
   * Worked solutions without the final answer sentence, most detailed first: the first that fits
   * the text budget is used, so long derivations at high levels fall back to shorter ones.
   */
  steps: string[];
  /** Python that prints the answer. */
  code: string;
  /** What makes two problems the same (`7 * 8` and `8 * 7`); decides split and dedupe. */
  key: string;
}

/** A skill of the curriculum: what it asks and how a problem of a level is drawn. */
export interface Skill {
  name: string;
  description: string;
  /** What levels 1-5 draw (1 = the smallest numbers, 5 = the largest). */
  levels: readonly [string, string, string, string, string];
  draw(level: number, random: SeededRandom): Item;
}

/** The `[level - 1]` entry of a per-level table, with a clear error for a bad level. */
export function atLevel<T>(table: readonly T[], level: number, skill: string): T {
  const value = table[level - 1];
  if (value === undefined) {
    throw new RangeError(`Cannot draw a ${skill} problem: level must be 1-5, got ${level}`);
  }
  return value;
}
