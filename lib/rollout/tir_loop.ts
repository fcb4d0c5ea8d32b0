import type { Turn } from "../store/rollouts.ts";
import type { Completion } from "../policy/types.ts";
import { outputBlock, trailingCodeBlock } from "./code_block.ts";
import { execOutputText } from "./exec_output.ts";
import type { Mode } from "./modes.ts";
import type { CodeRunner, Trajectory } from "./types.ts";

/** The stop string that ends a generation step where the model expects tool output. */
export const OUTPUT_FENCE = "```output";

/** Generates one continuation of a prompt (a batching queue over a policy). */
export type GenerateStep = (
  prompt: string,
  options: { maxNewTokens: number; stop: string[]; seed?: number },
) => Promise<Completion>;

/** Options of {@linkcode runTrajectory}. */
export interface TrajectoryOptions {
  mode: Mode;
  generate: GenerateStep;
  sandbox: CodeRunner;
  /** Sandbox session of this trajectory (cells share globals). */
  session: string;
  /** Code cells executed at most; later code is left unexecuted. */
  maxCodeCalls: number;
  /** Generated tokens at most, over all steps. */
  maxTokens: number;
  /** Stop strings of the prompt template. */
  stop: string[];
  timeoutMs?: number;
  /** Seed of this trajectory; each step samples with seed + step index. */
  seed?: number;
  signal?: AbortSignal;
}

/**
 * The TIR loop: generate until the model closes a ```python block and asks for ```output, run the
 * block in the trajectory's sandbox session, append the output, and continue, up to the call and
 * token budgets. In `text` mode code is never executed. Every step is kept as a turn.
 */
export async function runTrajectory(
  prompt: string,
  options: TrajectoryOptions,
): Promise<Trajectory> {
  const started = performance.now();
  const turns: Turn[] = [];
  let completion = "";
  let completionTokens = 0;
  let promptTokens = 0;
  let codeCalls = 0;
  let failedCalls = 0;
  let tokenIds: number[] | null = [];
  let logprobs: number[] | null = [];
  let finishReason: Trajectory["finishReason"] = "budget";
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const canRunCode = options.mode !== "text" && codeCalls < options.maxCodeCalls;
      const budget = options.maxTokens - completionTokens;
      if (budget <= 0) break;
      const step = await options.generate(prompt + completion, {
        maxNewTokens: budget,
        stop: canRunCode ? [OUTPUT_FENCE, ...options.stop] : options.stop,
        seed: options.seed === undefined ? undefined : options.seed + turns.length,
      });
      if (turns.length === 0) promptTokens = step.promptTokens;
      completion += step.text;
      completionTokens += step.completionTokens;
      turns.push({ kind: "text", text: step.text, tokens: step.completionTokens });
      tokenIds = step.tokenIds && tokenIds ? [...tokenIds, ...step.tokenIds] : null;
      logprobs = step.logprobs && logprobs ? [...logprobs, ...step.logprobs] : null;
      const block = step.stop === OUTPUT_FENCE ? trailingCodeBlock(step.text) : undefined;
      if (!block) {
        finishReason = step.finishReason;
        break;
      }
      const result = await options.sandbox.exec(block.code, {
        language: block.language,
        session: options.session,
        timeoutMs: options.timeoutMs,
      });
      codeCalls++;
      if (result.status !== "ok") failedCalls++;
      const shown = outputBlock(execOutputText(result));
      turns.push({
        kind: "code",
        text: block.code,
        language: block.language,
        status: result.status,
        stdout: result.stdout,
        stderr: result.stderr,
        duration_ms: result.durationMs,
      });
      turns.push({ kind: "output", text: shown });
      completion += shown;
    }
  } finally {
    await options.sandbox.endSession(options.session);
  }
  return {
    prompt,
    completion,
    turns,
    usedCode: codeCalls > 0,
    codeCalls,
    failedCalls,
    promptTokens,
    completionTokens,
    tokenIds: tokenIds?.length ? tokenIds : null,
    logprobs: logprobs?.length ? logprobs : null,
    finishReason,
    latencyMs: performance.now() - started,
  };
}
