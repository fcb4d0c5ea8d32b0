import type { Turn } from "../store/rollouts.ts";
import type { CacheHint, ChatMessage, Completion } from "../policy/types.ts";
import type { Mode } from "./modes.ts";
import type { RolloutSettings } from "./rollout_config.ts";
import { OUTPUT_FENCE, tirSemantics } from "./tir_semantics.ts";
import { TokenTrace, type TraceTokenizer } from "./token_trace.ts";
import type { CodeRunner, Trajectory } from "./types.ts";

export { OUTPUT_FENCE };

/**
 * What a policy continues: a prompt string (rendered locally), or chat messages for a server to
 * render, whose assistant turn opens with `prefix` (the mode's trigger).
 */
export type RolloutPrompt =
  | { kind: "text"; text: string; messages?: ChatMessage[] }
  | { kind: "chat"; messages: ChatMessage[]; prefix: string };

/**
 * One generation step's input: a raw prompt, chat messages ending with the partial answer, or the
 * token ids of everything so far.
 */
export type StepInput = { prompt: string } | { messages: ChatMessage[] } | { promptIds: number[] };

/** Generates one continuation (a batching queue over a policy). */
export type GenerateStep = (
  input: StepInput,
  options: { maxNewTokens: number; stop: string[]; seed?: number; cache?: CacheHint },
) => Promise<Completion>;

/** Options of {@linkcode runTrajectory}. */
export interface TrajectoryOptions {
  mode: Mode;
  generate: GenerateStep;
  sandbox: CodeRunner;
  /** Sandbox session of this trajectory (cells share globals). */
  session: string;
  settings: Pick<
    RolloutSettings,
    "maxTokens" | "maxTokensPerCall" | "maxCodeCalls" | "execTimeoutMs" | "execSemantics"
  >;
  /** Stop strings: the template's and the user's. */
  stop: string[];
  /** Seed of this trajectory; each step samples with seed + step index. */
  seed?: number;
  /**
   * The model's tokenizer, when prompts are strings it can read: the trajectory is then kept as
   * token ids, and each step continues them (see TokenTrace).
   */
  tokenizer?: TraceTokenizer;
  signal?: AbortSignal;
}

/** The step input of a prompt continued by `completion`. */
export function stepInput(prompt: RolloutPrompt, completion: string): StepInput {
  if (prompt.kind === "text") return { prompt: prompt.text + completion };
  const partial = prompt.prefix + completion;
  return {
    messages: partial === ""
      ? prompt.messages
      : [...prompt.messages, { role: "assistant", content: partial }],
  };
}

/**
 * The TIR loop: generate until the model asks for a code block's output, run the block in the
 * trajectory's sandbox session, append the output, and continue, up to the call and token
 * budgets. In `text` mode code is never executed. Every step is kept as a turn. How code is
 * recognised and its output appended follows `settings.execSemantics`.
 */
export async function runTrajectory(
  prompt: RolloutPrompt,
  options: TrajectoryOptions,
): Promise<Trajectory> {
  const started = performance.now();
  const { settings } = options;
  const semantics = tirSemantics[settings.execSemantics];
  const turns: Turn[] = [];
  let completion = "";
  let completionTokens = 0;
  let promptTokens = 0;
  let codeCalls = 0;
  let failedCalls = 0;
  let stopReason: string | undefined;
  const trace = prompt.kind === "text" && options.tokenizer
    ? new TokenTrace(options.tokenizer, prompt.text)
    : undefined;
  let finishReason: Trajectory["finishReason"] = "budget";
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const canRunCode = options.mode !== "text" && codeCalls < settings.maxCodeCalls;
      const budget = settings.maxTokens - completionTokens;
      if (budget <= 0) break;
      const input = trace?.exact ? { promptIds: trace.input() } : stepInput(prompt, completion);
      const step = await options.generate(input, {
        maxNewTokens: Math.min(budget, settings.maxTokensPerCall ?? budget),
        stop: canRunCode && !options.stop.includes(OUTPUT_FENCE)
          ? [OUTPUT_FENCE, ...options.stop]
          : options.stop,
        seed: options.seed === undefined ? undefined : options.seed + turns.length,
        // Token-native steps continue one another: a local engine may keep the cache across
        // the tool call instead of prefilling the whole trajectory again.
        ...(trace?.exact
          ? { cache: { key: options.session, keepOnStop: canRunCode ? OUTPUT_FENCE : undefined } }
          : {}),
      });
      if (turns.length === 0) promptTokens = step.promptTokens;
      completion += step.text;
      completionTokens += step.completionTokens;
      turns.push({ kind: "text", text: step.text, tokens: step.completionTokens });
      trace?.sampled(step);
      const block = canRunCode ? semantics.codeToRun(step) : undefined;
      if (!block) {
        finishReason = step.finishReason;
        stopReason = step.stop;
        break;
      }
      const result = await options.sandbox.exec(block.code, {
        language: block.language,
        session: options.session,
        timeoutMs: settings.execTimeoutMs,
      });
      codeCalls++;
      if (result.status !== "ok") failedCalls++;
      turns.push({
        kind: "code",
        text: block.code,
        language: block.language,
        status: result.status,
        stdout: result.stdout,
        stderr: result.stderr,
        duration_ms: result.durationMs,
      });
      const withOutput = semantics.appendOutput(completion, result);
      turns.push({ kind: "output", text: withOutput.slice(commonPrefix(completion, withOutput)) });
      completion = withOutput;
      const limited = semantics.limitNote !== undefined && codeCalls >= settings.maxCodeCalls;
      if (limited) {
        completion += semantics.limitNote;
        turns.push({ kind: "output", text: semantics.limitNote! });
      }
      trace?.inserted(completion);
      if (limited) {
        finishReason = "call_limit";
        break;
      }
    }
  } finally {
    await options.sandbox.endSession(options.session);
  }
  return {
    prompt: prompt.kind === "text" ? prompt.text : null,
    promptMessages: prompt.kind === "chat" ? openingMessages(prompt) : prompt.messages ?? null,
    completion,
    turns,
    usedCode: codeCalls > 0,
    codeCalls,
    failedCalls,
    promptTokens,
    completionTokens,
    tokens: trace?.exact
      ? {
        promptIds: trace.promptIds,
        responseIds: trace.responseIds,
        responseMask: trace.responseMask,
        responseLogprobs: trace.responseLogprobs,
      }
      : null,
    promptIds: trace?.promptIds ?? null,
    finishReason,
    stopReason: stopReason ?? null,
    latencyMs: performance.now() - started,
  };
}

/** The length of the common start of two strings. */
function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The messages of a chat prompt as first sent: the template's, then the assistant turn opened
 * with the prefix (when there is one).
 */
export function openingMessages(
  prompt: Extract<RolloutPrompt, { kind: "chat" }>,
): ChatMessage[] {
  return (stepInput(prompt, "") as { messages: ChatMessage[] }).messages;
}
