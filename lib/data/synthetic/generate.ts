import type { Problem } from "../problem.ts";
import { type SeededRandom, seededRandom } from "../seeded_random.ts";
import type { Skill } from "./skill.ts";
import { SKILL_NAMES, skills } from "./skills/mod.ts";
import { renderSolutions } from "./solutions.ts";
import { type Split, splitOf, SPLITS } from "./split.ts";

/** Options of {@linkcode generateSynthetic}. */
export interface SyntheticOptions {
  split: Split;
  /** Number of problems. */
  size: number;
  /** Seed of the draw; the split a problem lands in does not depend on it. */
  seed?: number;
  /** Levels to draw from, 1-5 (1 = the smallest numbers, 5 = the largest). */
  levels?: readonly number[];
  /** Skill names to draw from. */
  skills?: readonly string[];
}

/** Defaults of {@linkcode generateSynthetic}. */
export const syntheticDefaults = {
  seed: 0,
  levels: [1, 2, 3, 4, 5] as readonly number[],
  skills: SKILL_NAMES,
} satisfies Partial<SyntheticOptions>;

// Draws tried for one (skill, level) cell before it counts as exhausted for this split.
const TRIES_PER_CELL = 400;
const SPLIT_SALT: Record<Split, number> = { train: 1, dev: 2, test: 3 };

/**
 * Generates problems of the synthetic curriculum: skills from addition to binomials at levels
 * 1-5, each with its exact gold answer, a step-by-step text solution and a TIR solution, both
 * ending in `The answer is \boxed{ANSWER}.` Cells (skill, level) take turns in a seeded order, so
 * every prefix is balanced over skills and levels. A problem's split follows from a hash of its
 * key, so train, dev and test are disjoint whatever the seeds; within a call no key repeats.
 *
 * @example
 * ```ts
 * import { generateSynthetic } from "./generate.ts";
 * const [p] = generateSynthetic({ split: "test", size: 1, seed: 1 });
 * const fence = "`".repeat(3);
 * if (!String(p.metadata.tir_solution).startsWith(`${fence}python`)) throw new Error("no code");
 * ```
 */
export function generateSynthetic(options: SyntheticOptions): Problem[] {
  const { split, size } = options;
  const seed = options.seed ?? syntheticDefaults.seed;
  const levels = options.levels ?? syntheticDefaults.levels;
  const names = options.skills ?? syntheticDefaults.skills;
  validate(options, { seed, levels, names });
  const random = seededRandom(seed * 7919 + SPLIT_SALT[split]);
  let cells = names.flatMap((name) => levels.map((level) => ({ skill: skills[name], level })));
  const seen = new Set<string>();
  const problems: Problem[] = [];
  while (problems.length < size) {
    if (cells.length === 0) {
      throw new RangeError(
        `Cannot generate ${size} synthetic ${split} problems: only ${problems.length} distinct ones exist for skills ${names} at levels ${levels}`,
      );
    }
    const exhausted = new Set<typeof cells[number]>();
    for (const cell of random.shuffle(cells)) {
      if (problems.length >= size) break;
      const problem = drawProblem(cell.skill, cell.level, {
        split,
        random,
        seen,
        id: `syn-${split}-${String(problems.length).padStart(6, "0")}`,
      });
      if (problem) problems.push(problem);
      else exhausted.add(cell);
    }
    cells = cells.filter((c) => !exhausted.has(c));
  }
  return problems;
}

function drawProblem(
  skill: Skill,
  level: number,
  ctx: { split: Split; random: SeededRandom; seen: Set<string>; id: string },
): Problem | undefined {
  for (let i = 0; i < TRIES_PER_CELL; i++) {
    const item = skill.draw(level, ctx.random);
    if (ctx.seen.has(item.key) || splitOf(item.key) !== ctx.split) continue;
    ctx.seen.add(item.key);
    const { text, tir } = renderSolutions(item);
    return {
      id: ctx.id,
      problem: item.problem,
      answer: item.answer.toString(),
      source: "synthetic",
      metadata: {
        skill: skill.name,
        level,
        split: ctx.split,
        text_solution: text,
        tir_solution: tir,
      },
    };
  }
  return undefined;
}

function validate(
  options: SyntheticOptions,
  resolved: { seed: number; levels: readonly number[]; names: readonly string[] },
): void {
  const where = "generateSynthetic";
  if (!SPLITS.includes(options.split)) {
    throw new RangeError(
      `Cannot generate synthetic problems: split must be train, dev or test, got "${options.split}" (${where})`,
    );
  }
  if (!Number.isInteger(options.size) || options.size < 0) {
    throw new RangeError(
      `Cannot generate synthetic problems: size must be a non-negative integer, got ${options.size} (${where})`,
    );
  }
  if (!Number.isSafeInteger(resolved.seed)) {
    throw new RangeError(
      `Cannot generate synthetic problems: seed must be an integer, got ${resolved.seed} (${where})`,
    );
  }
  const badLevel = resolved.levels.find((l) => !Number.isInteger(l) || l < 1 || l > 5);
  if (badLevel !== undefined || resolved.levels.length === 0) {
    throw new RangeError(
      `Cannot generate synthetic problems: levels must be integers 1-5, got ${resolved.levels} (${where})`,
    );
  }
  const unknown = resolved.names.find((n) => !Object.hasOwn(skills, n));
  if (unknown !== undefined || resolved.names.length === 0) {
    throw new RangeError(
      `Cannot generate synthetic problems: unknown skill "${unknown ?? ""}" (known: ${
        Object.keys(skills).join(", ")
      }) (${where})`,
    );
  }
}
