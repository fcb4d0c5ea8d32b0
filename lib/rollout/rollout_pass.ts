import type { Problem } from "../data/problem.ts";
import type { Policy } from "../policy/types.ts";
import { upsertProblems } from "../store/problems.ts";
import { RolloutWriter } from "../store/rollouts.ts";
import type { Store } from "../store/store.ts";
import type { Progress } from "../task/progress.ts";
import { createBatcher } from "./batcher.ts";
import { planJobs, type SamplesPerMode } from "./plan_jobs.ts";
import { type RolloutCounts, runRollouts, type Scorer } from "./run_rollouts.ts";
import type { PromptTemplate } from "./templates.ts";
import type { CodeRunner } from "./types.ts";
import type { ChatMessage } from "../policy/types.ts";

/** Everything a pass of rollouts over problems needs. */
export interface RolloutPassOptions {
  store: Store;
  runId: string;
  problems: readonly Problem[];
  samples: SamplesPerMode;
  policy: Policy;
  sandbox: CodeRunner;
  score: Scorer;
  template: PromptTemplate;
  renderChat?: (messages: ChatMessage[]) => string;
  maxCodeCalls: number;
  maxTokens: number;
  timeoutMs?: number;
  /** Trajectories in flight at once. */
  concurrency: number;
  seed: number;
  temperature: number;
  topP?: number;
  topK?: number;
  /** Keep behaviour log-probs (curation does, for the M-step). */
  logprobs?: boolean;
  /**
   * Policy calls in flight at once. Both backends merge concurrent calls (the onnx engine into its
   * continuous batch, a server into its own), so the default lets every trajectory's step go.
   */
  maxInFlight?: number;
  signal?: AbortSignal;
  /** Creates the progress reporter for `total` samples still to do. */
  progress?: (total: number, done: number) => Progress;
}

/**
 * Runs one pass of rollouts: stores the problems, plans `samples` per mode for each, skips what
 * the run already has, runs the rest concurrently through a batcher over the policy, and writes
 * each sample as it finishes, with progress showing the running accuracy and code rate.
 */
export async function rolloutPass(options: RolloutPassOptions): Promise<RolloutCounts> {
  const { store, runId } = options;
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
  const jobs = planJobs(options.problems, options.samples);
  const writer = await RolloutWriter.open(store, runId);
  const done =
    jobs.filter((j) =>
      writer.has({ problem_id: j.problem.id, mode: j.mode, sample_idx: j.sampleIdx })
    ).length;
  const progress = options.progress?.(jobs.length, done);
  const generate = createBatcher(options.policy, {
    temperature: options.temperature,
    topP: options.topP,
    topK: options.topK,
    logprobs: options.logprobs,
    maxInFlight: options.maxInFlight ?? options.concurrency,
    maxBatch: options.concurrency,
    signal: options.signal,
  });
  let correct = 0;
  let usedCode = 0;
  let finished = 0;
  let counts;
  try {
    counts = await runRollouts(jobs, {
      generate,
      sandbox: options.sandbox,
      template: options.template,
      renderChat: options.renderChat,
      writer,
      score: options.score,
      maxCodeCalls: options.maxCodeCalls,
      maxTokens: options.maxTokens,
      timeoutMs: options.timeoutMs,
      concurrency: options.concurrency,
      seed: options.seed,
      signal: options.signal,
      onSample(_job, row) {
        finished++;
        if (row.correct) correct++;
        if (row.used_code) usedCode++;
        progress?.tick(1, { acc: correct / finished, code: usedCode / finished });
      },
    });
  } finally {
    // Every finished sample is committed, even when the pass stops on an error or Ctrl-C.
    await writer.close();
    progress?.stop();
  }
  return { ...counts, writeMs: writer.stats.ms };
}
