import type { Problem } from "../data/problem.ts";
import { PromptTooLongError } from "../policy/errors.ts";
import type { ErrorKind, RolloutRow, RolloutWriter } from "../store/rollouts.ts";
import type { Mode } from "./modes.ts";
import type { RolloutSettings } from "./rollout_config.ts";
import {
  type GenerateStep,
  openingMessages,
  type RolloutPrompt,
  runTrajectory,
} from "./tir_loop.ts";
import type { TraceTokenizer } from "./token_trace.ts";
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
  /** The prompt a policy continues for a problem in a mode. */
  prompt: (problem: string, mode: Mode) => RolloutPrompt;
  /** Stop strings of every generation: the template's and the user's. */
  stop: string[];
  settings: RolloutSettings;
  writer: RolloutWriter;
  score: Scorer;
  /** Base seed; each sample gets its own, derived from (problem, mode, sample index). */
  seed?: number;
  /** The model's tokenizer: trajectories are kept as token ids (see TokenTrace). */
  tokenizer?: TraceTokenizer;
  /** Failed samples after which no new sample starts (default: no limit). */
  maxErrors?: number;
  signal?: AbortSignal;
  /** Called after each sample is written (progress, running metrics). */
  onSample?: (job: RolloutJob, row: Omit<RolloutRow, "run_id">) => void;
}

/** Counts of a rollout pass. */
export interface RolloutCounts {
  written: number;
  skipped: number;
  errors: number;
  /** The first error message of the pass and how many samples failed with it. */
  firstError?: { message: string; count: number };
  /** Failed samples of an earlier attempt that this pass ran again. */
  retried?: number;
  /** The pass stopped starting samples because more than `maxErrors` failed. */
  stoppedOnErrors?: boolean;
  /** Milliseconds spent committing rows to the store. */
  writeMs?: number;
}

/**
 * Runs many trajectories concurrently and writes each sample to the store as it finishes.
 * Samples already stored for the run are skipped (resume). A failing sample (server down,
 * sandbox crash, grader error) becomes a row with its error and no verdict, never a wrong answer;
 * once more than `maxErrors` samples have failed, no new sample starts (the run cannot pass, and
 * a dead server should not be called for every sample). On abort, trajectories in flight finish
 * and nothing new starts.
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
  const maxErrors = options.maxErrors ?? Infinity;
  const worker = async () => {
    while (next < todo.length && !options.signal?.aborted) {
      if (counts.errors > maxErrors) {
        counts.stoppedOnErrors = true;
        break;
      }
      const job = todo[next++];
      const row = await runOne(job, options);
      // A sample cut short by Ctrl-C is not written: the resumed run redoes it.
      if (row.error && options.signal?.aborted) break;
      if (row.error) {
        counts.errors++;
        counts.firstError ??= { message: row.error, count: 0 };
        if (row.error === counts.firstError.message) counts.firstError.count++;
      }
      await options.writer.write(row);
      counts.written++;
      options.onSample?.(job, row);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.settings.concurrency) }, worker));
  return counts;
}

/** A failure of one sample, with what failed. */
class SampleError extends Error {
  constructor(readonly kind: ErrorKind, cause: unknown) {
    super(String((cause as Error)?.message ?? cause));
  }
}

/** Tags a failure with what failed (a PromptTooLongError is its own kind). */
function failedAs(kind: ErrorKind) {
  return (error: unknown): never => {
    if (error instanceof SampleError) throw error;
    throw new SampleError(error instanceof PromptTooLongError ? "prompt_too_long" : kind, error);
  };
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
  let prompt: RolloutPrompt | undefined;
  let trajectory: Trajectory | undefined;
  try {
    prompt = options.prompt(job.problem.problem, job.mode);
    const sandbox: CodeRunner = {
      exec: (code, o) => Promise.resolve(options.sandbox.exec(code, o)).catch(failedAs("sandbox")),
      endSession: (session) =>
        Promise.resolve(options.sandbox.endSession(session)).catch(failedAs("sandbox")),
    };
    trajectory = await runTrajectory(prompt, {
      mode: job.mode,
      generate: (input, o) => options.generate(input, o).catch(failedAs("server")),
      sandbox,
      session: `${job.problem.id}/${job.mode}/${job.sampleIdx}`,
      settings: options.settings,
      tokenizer: options.tokenizer,
      stop: options.stop,
      seed: options.seed === undefined ? undefined : sampleSeed(options.seed, job),
      signal: options.signal,
    });
    const verdict = await options.score(job.problem.answer, trajectory.completion)
      .catch(failedAs("grader"));
    return {
      ...base,
      prompt: trajectory.prompt,
      prompt_messages: trajectory.promptMessages,
      completion: trajectory.completion,
      turns: trajectory.turns,
      used_code: trajectory.usedCode,
      code_calls: trajectory.codeCalls,
      answer: verdict.answer,
      correct: verdict.correct,
      reward: verdict.correct ? 1 : 0,
      prompt_tokens: trajectory.promptTokens,
      completion_tokens: trajectory.completionTokens,
      prompt_ids: trajectory.promptIds,
      response_ids: trajectory.tokens?.responseIds ?? null,
      response_mask: trajectory.tokens?.responseMask ?? null,
      response_logprobs: trajectory.tokens?.responseLogprobs ?? null,
      ids_exact: trajectory.tokens !== null,
      latency_ms: trajectory.latencyMs,
      finish_reason: trajectory.finishReason,
      stop_reason: trajectory.stopReason,
      error: null,
      error_kind: null,
    };
  } catch (error) {
    return {
      ...base,
      prompt: prompt?.kind === "text" ? prompt.text : null,
      prompt_messages: prompt === undefined
        ? null
        : prompt.kind === "chat"
        ? openingMessages(prompt)
        : prompt.messages ?? null,
      completion: trajectory?.completion ?? null,
      turns: trajectory?.turns ?? null,
      used_code: trajectory?.usedCode ?? false,
      code_calls: trajectory?.codeCalls ?? 0,
      correct: null,
      reward: null,
      error: String((error as Error).message ?? error).split("\n")[0],
      error_kind: error instanceof SampleError ? error.kind : "other",
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
