import type { Problem } from "../data/problem.ts";
import type { Mode } from "./modes.ts";
import type { RolloutJob } from "./run_rollouts.ts";

/** How many samples of each mode every problem gets. */
export type SamplesPerMode = Partial<Record<Mode, number>>;

/**
 * The jobs of a pass: for each problem, `count` samples per mode, interleaved problem by problem
 * so that a stopped run has whole problems done rather than one mode of every problem.
 */
export function planJobs(problems: readonly Problem[], samples: SamplesPerMode): RolloutJob[] {
  const jobs: RolloutJob[] = [];
  for (const problem of problems) {
    for (const [mode, count] of Object.entries(samples) as [Mode, number][]) {
      for (let i = 0; i < count; i++) jobs.push({ problem, mode, sampleIdx: i });
    }
  }
  return jobs;
}
