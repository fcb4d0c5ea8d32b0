import { z } from "zod";
import { loadDataset } from "../datasets/mod.ts";
import {
  type LoadedDataset,
  type Problem,
  type selectionArgs,
  selectProblems,
} from "../lib/data/mod.ts";
import { rolloutSettingsSchema, rolloutToolsSchema } from "../lib/rollout/mod.ts";
import { type Logger, toFlag } from "../lib/task/mod.ts";

/**
 * Flags shared by the tasks that run rollouts (eval, curate): the model and its server, the
 * prompt, sampling and the TIR loop (lib/rollout's schemas), and the run's store and error policy.
 * Spread `.shape` into a task's schema.
 */
export const rolloutArgs = z.object({
  ...rolloutToolsSchema.shape,
  ...rolloutSettingsSchema.shape,
  db: z.string().default("runs/tocode.duckdb").describe("DuckDB store file"),
  runId: z.string().optional().describe(
    "run id; an existing id resumes that run (its failed samples are run again)",
  ),
  maxErrorRate: z.number().min(0).max(1).default(0.05).describe(
    "fail the run (exit 1) when more than this share of its samples are errors",
  ),
  force: z.boolean().default(false).describe(
    "resume a run even when its generation flags differ from this call's",
  ),
});

/** How a rollout setting is named on the command line, for messages. */
export const flagName = (key: string): string => `--${toFlag(key)}`;

/** Logs a server retry as a warning: the wait, the attempt, and why. */
export const logRetry =
  (log: Logger) => (r: { url: string; attempt: number; delayMs: number; reason: string }) =>
    log.warn(
      `retrying in ${
        (r.delayMs / 1000).toFixed(1)
      } s (attempt ${r.attempt}): ${r.reason} (${r.url})`,
    );

/**
 * The problems a rollout task runs: each `--dataset` loaded (with its `--field` mappings) and
 * selected (`--filter`, `--shuffle`, `--offset`, `--limit`), with the datasets for provenance.
 */
export async function loadRolloutProblems(
  args: z.infer<typeof selectionArgs> & { dataset: string[] },
): Promise<{ datasets: LoadedDataset[]; problems: Problem[] }> {
  const datasets: LoadedDataset[] = [];
  const problems: Problem[] = [];
  for (const name of args.dataset) {
    const loaded = await loadDataset(name, { dataDir: args.dataDir, fields: args.field });
    datasets.push(loaded);
    problems.push(...selectProblems(loaded.problems, args));
  }
  return { datasets, problems };
}
