import { generateSynthetic } from "../data/synthetic/mod.ts";
import type { Problem } from "../data/problem.ts";
import type { DemoPlan } from "./demo_plan.ts";

/**
 * The problems of a demo run for a seed: the train pool (each iteration takes a fresh slice of
 * `queries`) and the test set, both drawn from the synthetic curriculum with that seed. The
 * splits are disjoint whatever the seed.
 */
export function demoProblems(
  plan: DemoPlan,
  seed: number,
): { trainPool: Problem[]; test: Problem[] } {
  const size = plan.iterations * plan.queries;
  const trainPool = generateSynthetic({ split: "train", size, seed });
  const test = generateSynthetic({ split: "test", size: plan.testSize, seed });
  return { trainPool, test };
}
