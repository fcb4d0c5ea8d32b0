import type { Problem } from "../data/problem.ts";
import type { RolloutRow, RolloutWriter } from "../store/rollouts.ts";
import type { ChatMessage } from "../policy/types.ts";
import type { Mode } from "./modes.ts";
import type { PromptTemplate } from "./templates.ts";
import { type GenerateStep, runTrajectory } from "./tir_loop.ts";
import type { CodeRunner, Trajectory } from "./types.ts";

/** One sample to produce: a problem, a mode and the sample's index. */
export interface RolloutJob {
  problem: Problem;
  mode: Mode;
  sampleIdx: number;
}

/** Grades a completion against the gold answer. */
export type Scorer = (
  gold: string,
  completion: string,
) => Promise<{ answer: string | null; correct: boolean; reason?: string }>;

/** Options of {@linkcode runRollouts}. */
export interface RunRolloutsOptions {
  generate: GenerateStep;
  sandbox: CodeRunner;
  template: PromptTemplate;
  renderChat?: (messages: ChatMessage[]) => string;
  writer: RolloutWriter;
  score: Scorer;
  maxCodeCalls: number;
  maxTokens: number;
  timeoutMs?: number;
  /** Trajectories in flight at once (keeps the policy's batch and the sandbox pool busy). */
  concurrency: number;
  /** Base seed; each sample gets its own, derived from (problem, mode, sample index). */
  seed?: number;
  signal?: AbortSignal;
  /** Called after each sample is written (progress, running metrics). */
  onSample?: (job: RolloutJob, row: Omit<RolloutRow, "run_id">) => void;
}

/** Counts of a rollout pass. */
export interface RolloutCounts {
  written: number;
  skipped: number;
  errors: number;
  /** Milliseconds spent committing rows to the store. */
  writeMs?: number;
}

/**
 * Runs many trajectories concurrently and writes each sample to the store as it finishes.
 * Samples already stored for the run are skipped (resume). A failing sample (server down,
 * sandbox crash, grader error) becomes a row with its error; it never stops the pass. On abort,
 * trajectories in flight finish and nothing new starts.
 */
export async function runRollouts(
  jobs: readonly RolloutJob[],
  options: RunRolloutsOptions,
): Promise<RolloutCounts> {
  const counts: RolloutCounts = { written: 0, skipped: 0, errors: 0 };
  const todo = jobs.filter((job) => {
    const key = { problem_id: job.problem.id, mode: job.mode, sample_idx: job.sampleIdx };
    if (!options.writer.has(key)) return true;
    counts.skipped++;
    return false;
  });
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !options.signal?.aborted) {
      const job = todo[next++];
      const row = await runOne(job, options);
      // A sample cut short by Ctrl-C is not written: the resumed run redoes it.
      if (row.error && options.signal?.aborted) break;
      if (row.error) counts.errors++;
      await options.writer.write(row);
      counts.written++;
      options.onSample?.(job, row);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return counts;
}

async function runOne(
  job: RolloutJob,
  options: RunRolloutsOptions,
): Promise<Omit<RolloutRow, "run_id">> {
  const base = {
    problem_id: job.problem.id,
    mode: job.mode,
    sample_idx: job.sampleIdx,
    dataset: job.problem.source,
  };
  let prompt: string | null = null;
  let trajectory: Trajectory | undefined;
  try {
    prompt = options.template.render(job.problem.problem, job.mode, options.renderChat);
    trajectory = await runTrajectory(prompt, {
      mode: job.mode,
      generate: options.generate,
      sandbox: options.sandbox,
      session: `${job.problem.id}/${job.mode}/${job.sampleIdx}`,
      maxCodeCalls: options.maxCodeCalls,
      maxTokens: options.maxTokens,
      stop: options.template.stop,
      timeoutMs: options.timeoutMs,
      seed: options.seed === undefined ? undefined : sampleSeed(options.seed, job),
      signal: options.signal,
    });
    const verdict = await options.score(job.problem.answer, trajectory.completion);
    return {
      ...base,
      prompt,
      completion: trajectory.completion,
      turns: trajectory.turns,
      used_code: trajectory.usedCode,
      code_calls: trajectory.codeCalls,
      answer: verdict.answer,
      correct: verdict.correct,
      reward: verdict.correct ? 1 : 0,
      prompt_tokens: trajectory.promptTokens,
      completion_tokens: trajectory.completionTokens,
      token_ids: trajectory.tokenIds,
      logprobs: trajectory.logprobs,
      latency_ms: trajectory.latencyMs,
      error: null,
    };
  } catch (error) {
    return {
      ...base,
      prompt,
      completion: trajectory?.completion ?? null,
      turns: trajectory?.turns ?? null,
      used_code: trajectory?.usedCode ?? false,
      code_calls: trajectory?.codeCalls ?? 0,
      correct: false,
      reward: 0,
      error: String((error as Error).message ?? error).split("\n")[0],
    };
  }
}

/** A per-sample seed from the run seed and the sample's key (FNV-1a), stable across runs. */
export function sampleSeed(seed: number, job: RolloutJob): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of `${job.problem.id}/${job.mode}/${job.sampleIdx}`) {
    h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  }
  return (h >>> 0) % 2147483647;
}
