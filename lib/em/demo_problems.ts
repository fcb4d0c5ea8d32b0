import { loadDataset } from "../data/load_dataset.ts";
import type { Problem } from "../data/problem.ts";
import type { DemoPlan } from "./demo_plan.ts";

/**
 * The problems of a demo run for a seed: the train pool (each iteration takes a fresh slice of
 * `queries`) and the test set, both drawn from the synthetic curriculum with that seed. The
 * splits are disjoint whatever the seed.
 */
export async function demoProblems(
  plan: DemoPlan,
  seed: number,
): Promise<{ trainPool: Problem[]; test: Problem[] }> {
  const size = plan.iterations * plan.queries;
  const trainPool = (await loadDataset(`synthetic:train:${size}:${seed}`)).problems;
  const test = (await loadDataset(`synthetic:test:${plan.testSize}:${seed}`)).problems;
  return { trainPool, test };
}
