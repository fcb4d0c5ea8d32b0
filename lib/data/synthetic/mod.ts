/**
 * The synthetic curriculum of the embedded default: seeded problems across skills and levels
 * 1-5, where plain step-by-step reasoning is reliable for a small model at low levels and code is
 * needed at high ones. Every problem has an exact gold answer, a text solution and a TIR solution.
 *
 * @example
 * ```ts
 * import { generateSynthetic } from "./mod.ts";
 * const problems = generateSynthetic({ split: "train", size: 10, seed: 7, levels: [1] });
 * if (problems.some((p) => p.metadata.level !== 1)) throw new Error("level filter");
 * ```
 *
 * @module
 */
export * from "./generate.ts";
export * from "./split.ts";
export * from "./solutions.ts";
export type { Item, Skill } from "./skill.ts";
export { drillList, SKILL_NAMES, skillList, skills } from "./skills/mod.ts";
