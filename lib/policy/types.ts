import { z } from "zod";

/** One chat message, as in the OpenAI chat API. */
export const chatMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant", "tool"]),
  content: z.string(),
});

/** A chat message. */
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/**
 * Whether a chat request continues its last message (an assistant's partial answer, vLLM's
 * `continue_final_message`) rather than opening a new assistant turn.
 */
export function continuesFinalMessage(messages: readonly ChatMessage[]): boolean {
  return messages.at(-1)?.role === "assistant";
}

/** Sampling knobs shared by every request of a call; a request's own fields win. */
export const samplingSchema = z.object({
  maxNewTokens: z.number().int().positive().default(256).describe("new tokens at most"),
  temperature: z.number().min(0).default(1).describe("0 = greedy"),
  topP: z.number().gt(0).max(1).default(1).describe("nucleus mass kept"),
  topK: z.number().int().min(0).default(0).describe("0 = no top-k cut"),
  seed: z.number().int().optional().describe("same seed and inputs give the same output"),
  stop: z.array(z.string().min(1)).default([]).describe("stop strings, cut from the text"),
  n: z.number().int().positive().default(1).describe("completions per request"),
  logprobs: z.boolean().default(false).describe("return the log-prob of each sampled token"),
});

/** Sampling knobs with defaults applied. */
export type Sampling = z.infer<typeof samplingSchema>;

/**
 * One generation request: a raw prompt, chat messages (rendered with the chat template), or the
 * prompt's token ids (read as they are, as a TIR loop continues what the model sampled).
 */
export type GenerateRequest =
  & (
    | { prompt: string; messages?: undefined; promptIds?: undefined }
    | { messages: ChatMessage[]; prompt?: undefined; promptIds?: undefined }
    | { promptIds: number[]; prompt?: undefined; messages?: undefined }
  )
  & Partial<z.input<typeof samplingSchema>>
  & { cache?: CacheHint };

/**
 * How a local engine may reuse a sequence's KV cache across the steps of one trajectory: a step
 * that stops at `keepOnStop` leaves its cache under `key`, and the next request with that key,
 * whose prompt ids begin with the cached ones, prefills only the tokens after them.
 */
export interface CacheHint {
  key: string;
  keepOnStop?: string;
}

/** Why a completion ended: a stop string, the end-of-sequence token, or the token budget. */
export type FinishReason = "stop" | "eos" | "length";

/** One completion of a request. */
export interface Completion {
  /** The new text, without the stop string or the end-of-sequence token. */
  text: string;
  finishReason: FinishReason;
  /** The stop string that ended the text, when finishReason is "stop". */
  stop?: string;
  promptTokens: number;
  /** Tokens sampled, including the one that completed a stop string or was end-of-sequence. */
  completionTokens: number;
  /** The sampled token ids, where the backend knows them. */
  tokenIds?: number[];
  /** Log-prob of each sampled token under the model (temperature 1, no top-k/top-p cut). */
  logprobs?: number[];
  /** The text of each sampled token, alongside `logprobs`. */
  tokens?: string[];
}

/** The completions of one request (`n` of them), in sample order. */
export interface GenerateResult {
  completions: Completion[];
}

/** Options of {@linkcode Policy.generate}: shared sampling defaults plus call controls. */
export type GenerateOptions = Partial<z.input<typeof samplingSchema>> & {
  signal?: AbortSignal;
  /** Called with each piece of new text as it is decoded (streaming). */
  onText?: (request: number, sample: number, delta: string) => void;
};

/** Whatever writes the solutions: a local ONNX engine or a remote OpenAI-compatible server. */
export interface Policy {
  /** Model name (shown by /v1/models and stored with runs; a server's served model id). */
  readonly name: string;
  /** Which backend generates: the local engine, or OpenAI-compatible servers. */
  readonly backend: "onnx" | "openai";
  /** Tokens of context (prompt + completion) the model takes, when known. */
  readonly maxModelLen?: number;
  /** Prompt tokens computed by prefills, and those taken from a kept cache instead (local). */
  readonly stats?: { prefillTokens: number; reusedTokens: number };
  /** Generates `n` completions for each request; results are in request order. */
  generate(requests: GenerateRequest[], options?: GenerateOptions): Promise<GenerateResult[]>;
  /** Releases sessions and connections. */
  close(): Promise<void>;
}

/**
 * Merges a request with call-wide defaults and validates it.
 *
 * @example
 * ```ts
 * import { resolveSampling } from "./types.ts";
 * const s = resolveSampling({ prompt: "hi", temperature: 0 }, { temperature: 1, n: 2 });
 * if (s.temperature !== 0 || s.n !== 2 || s.maxNewTokens !== 256) throw new Error("bad merge");
 * ```
 */
export function resolveSampling(request: GenerateRequest, options: GenerateOptions = {}): Sampling {
  const { signal: _s, onText: _o, ...defaults } = options;
  const { prompt: _p, messages: _m, promptIds: _i, cache: _c, ...own } = request;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(own)) if (value !== undefined) merged[key] = value;
  const parsed = samplingSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(
      `Cannot generate: ${issue.path.join(".")}: ${issue.message} (request sampling options)`,
    );
  }
  return parsed.data;
}
