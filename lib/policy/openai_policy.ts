import { PromptTooLongError } from "./errors.ts";
import {
  type Completion,
  continuesFinalMessage,
  type GenerateOptions,
  type GenerateRequest,
  type GenerateResult,
  type Policy,
  resolveSampling,
  type Sampling,
} from "./types.ts";

/** Options of {@linkcode createOpenAIPolicy}. */
export interface OpenAIPolicyOptions {
  /** API base URLs, each ending in its /v1 (see parseModelSpec); requests go to the least busy. */
  baseUrls: string[];
  /** Served model id; the first one listed by the first server's /v1/models when left out. */
  model?: string;
  /** Environment variable holding the API key (sent as a Bearer token when set). */
  apiKeyEnv?: string;
  /** HTTP requests in flight at once, over all servers. */
  concurrency?: number;
  /** Retries of one request on 429, 5xx, connection errors and timeouts. */
  maxRetries?: number;
  /** First backoff delay; doubled per retry, with ±50% jitter. */
  retryBaseMs?: number;
  /** Longest backoff delay. */
  retryMaxMs?: number;
  /** Time limit of one HTTP request. */
  timeoutMs?: number;
  /** Called before each retry (logging, tests). */
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

/** Defaults of {@linkcode OpenAIPolicyOptions}. */
export const openAIPolicyDefaults = {
  apiKeyEnv: "OPENAI_API_KEY",
  concurrency: 32,
  maxRetries: 8,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
  timeoutMs: 600_000,
} satisfies Partial<OpenAIPolicyOptions>;

/** Why a request is worth retrying (429, 5xx, reset, timeout). */
class RetryableError extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** One entry of GET /v1/models (vLLM's ModelCard; `max_model_len` is vLLM's extension). */
interface ModelCard {
  id: string;
  max_model_len?: number | null;
}

/**
 * A policy backed by OpenAI-compatible servers (vLLM, SGLang, llama.cpp, Ollama, `deno task
 * serve`): raw prompts go to {base}/completions, chat messages to {base}/chat/completions. A chat
 * request whose last message is the assistant's continues that message (vLLM's
 * `continue_final_message`, with `add_generation_prompt` off), which is how a TIR turn resumes
 * after tool output. Several base URLs are balanced by fewest requests in flight; failures that may
 * pass are retried with exponential backoff and jitter (honouring Retry-After); other 4xx answers
 * fail at once with the server's message, and a prompt longer than the model's context fails with
 * {@linkcode PromptTooLongError}.
 */
export async function createOpenAIPolicy(options: OpenAIPolicyOptions): Promise<Policy> {
  if (options.baseUrls.length === 0) {
    throw new RangeError("Cannot create openai policy: no base URL given");
  }
  const settings = { ...openAIPolicyDefaults, ...options };
  const servers = settings.baseUrls.map((url) => ({ url: url.replace(/\/+$/, ""), inFlight: 0 }));
  const apiKey = Deno.env.get(settings.apiKeyEnv);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;

  // A FIFO semaphore: at most `concurrency` HTTP requests at once.
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = () =>
    active < settings.concurrency
      ? (active++, Promise.resolve())
      : new Promise<void>((resolve) => waiting.push(() => (active++, resolve())));
  const release = () => {
    active--;
    waiting.shift()?.();
  };

  const call = async (path: string, body: unknown, signal?: AbortSignal): Promise<unknown> => {
    await acquire();
    try {
      for (let attempt = 0;; attempt++) {
        const server = servers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
        const url = `${server.url}${path}`;
        server.inFlight++;
        try {
          return await post(url, body, headers, settings.timeoutMs, signal);
        } catch (error) {
          if (!(error instanceof RetryableError)) throw error;
          if (attempt >= settings.maxRetries) {
            throw new Error(
              `Cannot generate: ${error.message} after ${attempt + 1} attempts (${url})`,
            );
          }
          const backoff = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** attempt);
          const delayMs = Math.max(error.retryAfterMs ?? 0, backoff * (0.5 + Math.random()));
          settings.onRetry?.({ url, attempt: attempt + 1, delayMs, reason: error.message });
          await sleep(delayMs, signal);
        } finally {
          server.inFlight--;
        }
      }
    } finally {
      release();
    }
  };

  const listed = await listModels(call, servers[0].url, settings.model);
  const card = settings.model === undefined
    ? listed?.[0]
    : listed?.find((m) => m.id === settings.model) ?? { id: settings.model };
  if (!card) {
    throw new Error(`Cannot create openai policy: no model listed (${servers[0].url}/models)`);
  }
  if (listed && settings.model !== undefined && !listed.some((m) => m.id === settings.model)) {
    throw new Error(
      `Cannot create openai policy: the server does not serve "${settings.model}" (it lists ${
        listed.map((m) => `"${m.id}"`).join(", ")
      }; ${servers[0].url}/models)`,
    );
  }
  const modelId = card.id;

  const one = async (
    request: GenerateRequest,
    sampling: Sampling,
    signal?: AbortSignal,
  ): Promise<GenerateResult> => {
    const chat = request.messages !== undefined;
    const body: Record<string, unknown> = {
      model: modelId,
      max_tokens: sampling.maxNewTokens,
      temperature: sampling.temperature,
      top_p: sampling.topP,
      n: sampling.n,
    };
    if (request.messages !== undefined) {
      body.messages = request.messages;
      if (continuesFinalMessage(request.messages)) {
        body.continue_final_message = true;
        body.add_generation_prompt = false;
      }
    } else body.prompt = request.promptIds ?? request.prompt;
    // top_k is an extension (vLLM, SGLang, llama.cpp); plain OpenAI refuses it, so only when set.
    if (sampling.topK > 0) body.top_k = sampling.topK;
    if (sampling.stop.length > 0) body.stop = sampling.stop;
    if (sampling.seed !== undefined) body.seed = sampling.seed;
    // Prompt ids in, sampled ids out: vLLM names sampled tokens by id in their log-probs.
    const wantIds = request.promptIds !== undefined;
    if (sampling.logprobs || wantIds) body.logprobs = chat ? true : 1;
    if (wantIds) body.return_tokens_as_token_ids = true;
    const path = chat ? "/chat/completions" : "/completions";
    let response;
    try {
      response = await call(path, body, signal);
    } catch (error) {
      // vLLM refuses max_tokens that do not fit beside the prompt; like vLLM with no max_tokens,
      // take what is left of the context, once.
      const fits = error instanceof ContextLengthError && error.numbers.maxLen !== undefined &&
          error.numbers.inputTokens !== undefined
        ? error.numbers.maxLen - error.numbers.inputTokens
        : 0;
      if (fits <= 0 || fits >= sampling.maxNewTokens) throw error;
      response = await call(path, { ...body, max_tokens: fits }, signal);
    }
    return { completions: toCompletions(response, chat, sampling) };
  };

  return {
    name: modelId,
    backend: "openai",
    maxModelLen: card.max_model_len ?? undefined,
    async generate(requests, generateOptions: GenerateOptions = {}) {
      const samplings = requests.map((r) => resolveSampling(r, generateOptions));
      return await Promise.all(
        requests.map(async (request, i) => {
          const result = await one(request, samplings[i], generateOptions.signal);
          if (generateOptions.onText) {
            result.completions.forEach((c, j) => c.text && generateOptions.onText!(i, j, c.text));
          }
          return result;
        }),
      );
    },
    close: () => Promise.resolve(),
  };
}

/**
 * GET {base}/models. A server that has no such route (some proxies) yields undefined when the
 * model id is given anyway; without one, the list is needed and its absence is an error.
 */
async function listModels(
  call: (path: string, body: unknown) => Promise<unknown>,
  base: string,
  model: string | undefined,
): Promise<ModelCard[] | undefined> {
  try {
    const list = await call("/models", undefined) as { data?: ModelCard[] };
    return Array.isArray(list.data) ? list.data : [];
  } catch (error) {
    if (model !== undefined && /server answered 404/.test((error as Error).message)) {
      return undefined;
    }
    throw new Error(
      `Cannot create openai policy: ${
        (error as Error).message.replace(/^Cannot generate: /, "")
      } (${base}/models)`,
    );
  }
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<unknown> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    if (signal?.aborted) throw new Error(`Cannot generate: aborted (${url})`);
    // Connection refused or reset, DNS hiccups and timeouts may pass.
    throw new RetryableError(`request failed: ${(error as Error).message}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw new Error(`Cannot generate: aborted (${url})`);
    throw new RetryableError(`response cut off: ${(error as Error).message}`);
  }
  let status = response.status;
  if (response.ok) {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RetryableError(`response is not JSON: ${text.slice(0, 200)}`);
    }
    // vLLM can answer an exception raised in its handler with 200 and an error body.
    if (body?.error === undefined || body.choices !== undefined || body.data !== undefined) {
      return body;
    }
    status = Number(body.error?.code) || 500;
  }
  const message = errorText(text);
  if (status === 429 || status >= 500) {
    throw new RetryableError(
      `server answered ${status}: ${message}`,
      retryAfterMs(response.headers.get("retry-after")),
    );
  }
  if (status === 400 && /context length/i.test(message)) {
    throw new ContextLengthError(`Cannot generate: ${message} (${url})`, contextNumbers(message));
  }
  throw new Error(`Cannot generate: server answered ${status}: ${message} (${url})`);
}

/** A 400 for a request over the model's context, with the numbers the message gave. */
class ContextLengthError extends PromptTooLongError {
  constructor(message: string, readonly numbers: { maxLen?: number; inputTokens?: number }) {
    super(message, { promptTokens: numbers.inputTokens, maxModelLen: numbers.maxLen });
  }
}

/**
 * The context length and the prompt's tokens, from vLLM's messages (every version says
 * "maximum context length is L tokens" or "context length is only L tokens", and gives the input
 * as "N in the messages", "N input tokens" or "request has N input tokens").
 */
function contextNumbers(message: string): { maxLen?: number; inputTokens?: number } {
  const maxLen = /context length is (?:only )?(\d+)/i.exec(message)?.[1];
  const input = /(\d+) in the messages|(\d+) input tokens/i.exec(message);
  return {
    maxLen: maxLen === undefined ? undefined : Number(maxLen),
    inputTokens: input ? Number(input[1] ?? input[2]) : undefined,
  };
}

/**
 * The message of an error body: `{"error": {"message"}}` (OpenAI, vLLM), the older flat
 * `{"message"}` (vLLM before its ErrorInfo, SGLang), `{"error": "..."}` (vLLM's middleware),
 * FastAPI's `{"detail"}`, or the raw text.
 */
function errorText(text: string): string {
  try {
    const body = JSON.parse(text);
    const candidates = [body.error?.message, body.message, body.error, body.detail];
    return candidates.find((c) => typeof c === "string") ?? text.slice(0, 500);
  } catch {
    return text.slice(0, 500);
  }
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new Error("Cannot generate: aborted"));
    }, { once: true });
  });
}

interface ApiChoice {
  index: number;
  text?: string;
  message?: { content?: string | null };
  finish_reason?: string | null;
  stop_reason?: string | number | null;
  logprobs?: {
    tokens?: string[];
    token_logprobs?: (number | null)[];
    content?: { token: string; logprob: number }[] | null;
  } | null;
}

/** vLLM names a token `token_id:N` when asked for ids (`return_tokens_as_token_ids`). */
const TOKEN_ID = /^token_id:(\d+)$/;

function toCompletions(response: unknown, chat: boolean, sampling: Sampling): Completion[] {
  const r = response as {
    choices?: ApiChoice[];
    usage?: { prompt_tokens?: number; completion_tokens?: number };
  };
  const choices = [...(r.choices ?? [])].sort((a, b) => a.index - b.index);
  if (choices.length === 0) throw new Error("Cannot generate: the server returned no choices");
  const n = choices.length;
  return choices.map((c) => {
    if (c.finish_reason === "abort") {
      throw new Error("Cannot generate: the server aborted the request (finish_reason abort)");
    }
    const text = (chat ? c.message?.content : c.text) ?? "";
    const logprobs = chat
      ? c.logprobs?.content?.map((t) => t.logprob)
      : c.logprobs?.token_logprobs?.map((x) => x ?? 0);
    const tokens = chat ? c.logprobs?.content?.map((t) => t.token) : c.logprobs?.tokens;
    const ids = tokens?.map((t) => TOKEN_ID.exec(t)?.[1]);
    // vLLM: stop_reason is the stop string, a stop token id, or null for the end of sequence.
    const stop = typeof c.stop_reason === "string" ? c.stop_reason : undefined;
    const finishReason = c.finish_reason === "length"
      ? "length"
      : stop !== undefined && sampling.stop.includes(stop)
      ? "stop"
      : "eos";
    return {
      text,
      finishReason,
      ...(finishReason === "stop" ? { stop } : {}),
      promptTokens: r.usage?.prompt_tokens ?? 0,
      // Per-choice counts are exact with logprobs; otherwise the usage total is shared evenly.
      completionTokens: logprobs?.length ?? Math.round((r.usage?.completion_tokens ?? 0) / n),
      ...(sampling.logprobs && logprobs ? { logprobs, tokens } : {}),
      ...(ids && ids.length > 0 && ids.every((x) => x !== undefined)
        ? { tokenIds: ids.map(Number) }
        : {}),
    } satisfies Completion;
  });
}
