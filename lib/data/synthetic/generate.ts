import type { Problem } from "../problem.ts";
import { seededRandom } from "../seeded_random.ts";
import { type Item, skills } from "./skills.ts";

/** Splits of the curriculum; a problem's text decides its split, so they never overlap. */
export type Split = "train" | "dev" | "test";

/** Options of {@linkcode generateSynthetic}. */
export interface SyntheticOptions {
  split: Split;
  size: number;
  seed?: number;
  /** Levels to draw from (1 = easy for plain reasoning, 5 = needs code). */
  levels?: number[];
  /** Skill names to draw from (default: all). */
  skills?: string[];
}

/** Share of the problem space per split, by a hash of the problem text. */
const SPLIT_OF_HASH: Split[] = [
  "test",
  "dev",
  "train",
  "train",
  "train",
  "train",
  "train",
  "train",
  "train",
  "train",
];

/**
 * Generates problems of the synthetic curriculum: skills (addition, multiplication, remainders and
 * modular powers, gcd, digit sums, binomials, linear equations, arithmetic sums) at levels 1-5,
 * each with an exact gold answer, a step-by-step text solution and a TIR solution (a ```python
 * block, its ```output, then the boxed answer). Seeded; a problem's split follows from a hash of
 * its text, so train, dev and test are disjoint whatever the seeds.
 *
 * @example
 * ```ts
 * import { generateSynthetic } from "./generate.ts";
 * const [p] = generateSynthetic({ split: "test", size: 1, seed: 1 });
 * if (!String(p.metadata.tir_solution).includes("```python")) throw new Error("no code");
 * ```
 */
export function generateSynthetic(options: SyntheticOptions): Problem[] {
  const names = options.skills ?? Object.keys(skills);
  for (const name of names) {
    if (!skills[name]) {
      throw new RangeError(
        `Cannot generate synthetic problems: unknown skill "${name}" (known: ${
          Object.keys(skills).join(", ")
        })`,
      );
    }
  }
  const levels = options.levels ?? [1, 2, 3, 4, 5];
  const random = seededRandom((options.seed ?? 0) * 7919 + SPLIT_SALT[options.split]);
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (let attempt = 0; problems.length < options.size && attempt < options.size * 200; attempt++) {
    const skill = names[random.int(names.length)];
    const level = levels[random.int(levels.length)];
    const item = skills[skill](level, random);
    if (seen.has(item.problem) || splitOf(item.problem) !== options.split) continue;
    seen.add(item.problem);
    problems.push(toProblem(item, {
      id: `syn-${options.split}-${String(problems.length).padStart(6, "0")}`,
      skill,
      level,
      split: options.split,
    }));
  }
  if (problems.length < options.size) {
    throw new RangeError(
      `Cannot generate ${options.size} synthetic ${options.split} problems: only ${problems.length} distinct ones exist for these skills and levels`,
    );
  }
  return problems;
}

const SPLIT_SALT: Record<Split, number> = { train: 1, dev: 2, test: 3 };

/** The split a problem text belongs to (FNV-1a hash of the text). */
export function splitOf(text: string): Split {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return SPLIT_OF_HASH[(h >>> 0) % SPLIT_OF_HASH.length];
}

function toProblem(
  item: Item,
  meta: { id: string; skill: string; level: number; split: Split },
): Problem {
  const answer = String(item.answer);
  const boxed = `The answer is \\boxed{${answer}}.`;
  return {
    id: meta.id,
    problem: item.problem,
    answer,
    source: "synthetic",
    metadata: {
      skill: meta.skill,
      level: meta.level,
      split: meta.split,
      text_solution: `${item.steps}\n${boxed}`,
      tir_solution: `\`\`\`python\n${item.code}\n\`\`\`\n\`\`\`output\n${answer}\n\`\`\`\n${boxed}`,
    },
  };
}
