import type { Problem } from "../data/problem.ts";
import { upsertProblems } from "../store/problems.ts";
import { deleteFailedRollouts, RolloutWriter } from "../store/rollouts.ts";
import type { Store } from "../store/store.ts";
import type { Progress } from "../task/progress.ts";
import { createBatcher } from "./batcher.ts";
import type { RolloutTools } from "./open_tools.ts";
import { planJobs, type SamplesPerMode } from "./plan_jobs.ts";
import type { RolloutSettings } from "./rollout_config.ts";
import { type RolloutCounts, runRollouts } from "./run_rollouts.ts";

/** Everything a pass of rollouts over problems needs. */
export interface RolloutPassOptions {
  store: Store;
  runId: string;
  problems: readonly Problem[];
  samples: SamplesPerMode;
  tools: Pick<RolloutTools, "policy" | "sandbox" | "score" | "template" | "prompt" | "tokenizer">;
  settings: RolloutSettings;
  /** Base seed of the samples' seeds. */
  seed: number;
  /**
   * Policy calls in flight at once. Both backends merge concurrent calls (the onnx engine into its
   * continuous batch, a server into its own), so the default lets every trajectory's step go.
   */
  maxInFlight?: number;
  /** Failed samples after which no new sample starts. */
  maxErrors?: number;
  signal?: AbortSignal;
  /** Creates the progress reporter for `total` samples still to do. */
  progress?: (total: number, done: number) => Progress;
}

/**
 * Runs one pass of rollouts: stores the problems, plans `samples` per mode for each, retries the
 * samples of the run that failed (except prompts too long for the model, which fail again), skips
 * the rest of what the run already has, runs the remainder concurrently through a batcher over the
 * policy, and writes each sample as it finishes, with progress showing the running accuracy and
 * code rate.
 */
export async function rolloutPass(options: RolloutPassOptions): Promise<RolloutCounts> {
  const { store, runId, tools, settings } = options;
  await upsertProblems(
    store,
    options.problems.map((p) => ({
      id: p.id,
      dataset: p.source,
      problem: p.problem,
      answer: p.answer,
      metadata: p.metadata,
    })),
  );
  const retried = await deleteFailedRollouts(store, runId, {
    problemIds: options.problems.map((p) => p.id),
    modes: Object.keys(options.samples),
  });
  const jobs = planJobs(options.problems, options.samples);
  const writer = await RolloutWriter.open(store, runId);
  const done =
    jobs.filter((j) =>
      writer.has({ problem_id: j.problem.id, mode: j.mode, sample_idx: j.sampleIdx })
    ).length;
  const progress = options.progress?.(jobs.length, done);
  // The local engine decodes a call's requests as one batch; a server's requests go one per call,
  // so one failing request fails no other.
  const local = tools.policy.backend === "onnx";
  const generate = createBatcher(tools.policy, {
    temperature: settings.temperature,
    topP: settings.topP,
    topK: settings.topK,
    // Behaviour log-probs are kept with every trajectory's tokens (the M-step reads them).
    logprobs: true,
    maxInFlight: options.maxInFlight ?? settings.concurrency,
    maxBatch: local ? settings.concurrency : 1,
    signal: options.signal,
  });
  let correct = 0;
  let graded = 0;
  let usedCode = 0;
  let finished = 0;
  let counts;
  try {
    counts = await runRollouts(jobs, {
      generate,
      sandbox: tools.sandbox,
      prompt: tools.prompt,
      stop: [...tools.template.stop, ...settings.stop],
      settings,
      writer,
      score: tools.score,
      seed: options.seed,
      tokenizer: tools.tokenizer,
      maxErrors: options.maxErrors,
      signal: options.signal,
      onSample(_job, row) {
        finished++;
        if (row.error === null) graded++;
        if (row.correct) correct++;
        if (row.used_code) usedCode++;
        progress?.tick(1, { acc: graded ? correct / graded : 0, code: usedCode / finished });
      },
    });
  } finally {
    // Every finished sample is committed, even when the pass stops on an error or Ctrl-C.
    await writer.close();
    progress?.stop();
  }
  return { ...counts, retried, writeMs: writer.stats.ms };
}
