import { z } from "zod";
import { PromptTooLongError } from "./errors.ts";
import {
  chatMessageSchema,
  type Completion,
  type GenerateRequest,
  type GenerateResult,
  type Policy,
} from "./types.ts";

/** Options of {@linkcode servePolicy}. */
export interface ServeOptions {
  hostname?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Generation requests handled at once; more are refused with 503. */
  maxQueue?: number;
  /** Model id reported by /v1/models; the policy's name when left out. */
  modelName?: string;
  /** Called once the server listens. */
  onListen?: (address: { hostname: string; port: number }) => void;
}

/** Defaults of {@linkcode ServeOptions}. */
export const serveDefaults = {
  hostname: "127.0.0.1",
  port: 8000,
  maxQueue: 256,
  /** Seconds open requests get to finish when the server is asked to stop. */
  drainS: 30,
} satisfies ServeOptions & { drainS: number };

/** A running server. */
export interface PolicyServer {
  /** Base URL of the API, e.g. `http://127.0.0.1:8000/v1`. */
  readonly url: string;
  readonly port: number;
  /** Requests answered so far by outcome, and generations in flight now. */
  readonly stats: {
    served: number;
    rejected: number;
    invalid: number;
    cancelled: number;
    readonly inFlight: number;
  };
  /**
   * Stops listening, lets open requests finish for up to `drainMs` (default: no limit), then
   * cancels the rest, and resolves once every connection is closed.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

const stopSchema = z.union([z.string(), z.array(z.string())]).nullish();
const commonFields = {
  model: z.string().optional(),
  max_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  top_k: z.number().int().nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stop: stopSchema,
  seed: z.number().int().nullish(),
  stream: z.boolean().nullish(),
  user: z.string().optional(),
};

/** Body of POST /v1/completions (the fields this server honours; unknown ones are ignored). */
export const completionBodySchema = z.object({
  ...commonFields,
  prompt: z.union([z.string(), z.array(z.string()).min(1)]).refine(
    (p) => (typeof p === "string" ? p !== "" : p.every((x) => x !== "")),
    "Either prompt or prompt_embeds must be provided and non-empty.",
  ),
  logprobs: z.number().int().min(0).max(20).nullish(),
  echo: z.literal(false).nullish(),
});

/** Body of POST /v1/chat/completions. */
export const chatBodySchema = z.object({
  ...commonFields,
  messages: z.array(chatMessageSchema).min(1),
  max_completion_tokens: z.number().int().positive().nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
});

/**
 * Serves a policy over an OpenAI-compatible HTTP API: GET /v1/models, POST /v1/completions and
 * /v1/chat/completions, streamed (SSE) or not. Bodies are validated (400 with a message); at most
 * `maxQueue` generations run at once (503 beyond, so clients back off and retry).
 */
export function servePolicy(policy: Policy, options: ServeOptions = {}): Promise<PolicyServer> {
  const maxQueue = options.maxQueue ?? serveDefaults.maxQueue;
  const modelName = options.modelName ?? policy.name;
  let inFlight = 0;
  const stats = {
    served: 0,
    rejected: 0,
    invalid: 0,
    cancelled: 0,
    get inFlight() {
      return inFlight;
    },
  };
  // Aborted when a drain runs out of time: every generation still open stops.
  const draining = new AbortController();
  const created = Math.floor(Date.now() / 1000);

  const handle = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname.replace(/\/+$/, "");
    if (request.method === "GET" && path === "/v1/models") {
      return json({
        object: "list",
        data: [{ id: modelName, object: "model", created, owned_by: "tocode" }],
      });
    }
    const chat = path === "/v1/chat/completions";
    if (!chat && path !== "/v1/completions") {
      return error(404, `Cannot serve ${request.method} ${path}: no such endpoint`, "not_found");
    }
    if (request.method !== "POST") {
      return error(
        405,
        `Cannot serve ${request.method} ${path}: use POST`,
        "invalid_request_error",
      );
    }
    let raw: unknown;
    try {
      raw = await request.json();
    } catch (e) {
      stats.invalid++;
      return error(
        400,
        `Cannot parse request body: ${(e as Error).message}`,
        "invalid_request_error",
      );
    }
    const parsed = (chat ? chatBodySchema : completionBodySchema).safeParse(raw);
    if (!parsed.success) {
      stats.invalid++;
      const issue = parsed.error.issues[0];
      return error(
        400,
        `Cannot accept request: ${issue.path.join(".") || "body"}: ${issue.message}`,
        "invalid_request_error",
        issue.path.join("."),
      );
    }
    const asked = (parsed.data as { model?: string }).model;
    if (asked && asked !== modelName) {
      stats.invalid++;
      // vLLM's _check_model: an empty or missing model means the served one.
      return error(404, `The model \`${asked}\` does not exist.`, "NotFoundError", "model");
    }
    if (inFlight >= maxQueue) {
      stats.rejected++;
      return error(
        503,
        `Cannot accept request: ${inFlight} requests in flight (queue full)`,
        "overloaded",
      );
    }
    inFlight++;
    let streamed = false;
    // A client that goes away, or a drain that runs out of time, cancels the generation.
    const signal = AbortSignal.any([request.signal, draining.signal]);
    try {
      const body = parsed.data as Body;
      streamed = body.stream === true;
      const response = await generate(chat, body, signal);
      stats.served++;
      return response;
    } catch (e) {
      streamed = false;
      if (signal.aborted) {
        stats.cancelled++;
        return error(499, "Cannot generate: the request was cancelled", "cancelled");
      }
      return failure(e);
    } finally {
      // Streams release their slot when they finish (see below); others here.
      if (!streamed) inFlight--;
    }
  };

  type Body =
    & Omit<z.infer<typeof chatBodySchema>, "logprobs">
    & Omit<z.infer<typeof completionBodySchema>, "logprobs">
    & { logprobs?: number | boolean | null };
  const generate = async (
    chat: boolean,
    body: Body,
    signal: AbortSignal,
  ): Promise<Response> => {
    const prompts = chat
      ? [undefined]
      : typeof body.prompt === "string"
      ? [body.prompt]
      : body.prompt;
    const stop = body.stop === undefined || body.stop === null
      ? []
      : typeof body.stop === "string"
      ? [body.stop]
      : body.stop;
    const n = body.n ?? 1;
    const wantLogprobs = chat ? body.logprobs === true : typeof body.logprobs === "number";
    const requests: GenerateRequest[] = prompts.map((prompt) => ({
      ...(chat ? { messages: body.messages } : { prompt: prompt! }),
      maxNewTokens: (chat ? body.max_completion_tokens : undefined) ?? body.max_tokens ??
        (chat ? 1024 : 16),
      temperature: body.temperature ?? 1,
      topP: body.top_p ?? 1,
      topK: body.top_k && body.top_k > 0 ? body.top_k : 0,
      n,
      stop,
      logprobs: wantLogprobs,
      ...(body.seed !== undefined && body.seed !== null ? { seed: body.seed } : {}),
    }));
    const id = `${chat ? "chatcmpl" : "cmpl"}-${crypto.randomUUID().replaceAll("-", "")}`;
    const now = Math.floor(Date.now() / 1000);
    const model = body.model ?? modelName;
    if (!body.stream) {
      const results = await policy.generate(requests, { signal });
      const choices = results.flatMap((r, p) =>
        r.completions.map((c, j) => choice(chat, p * n + j, c, wantLogprobs))
      );
      const promptTokens = results.reduce((s, r) => s + (r.completions[0]?.promptTokens ?? 0), 0);
      const completionTokens = results.reduce(
        (s, r) => s + r.completions.reduce((t, c) => t + c.completionTokens, 0),
        0,
      );
      return json({
        id,
        object: chat ? "chat.completion" : "text_completion",
        created: now,
        model,
        choices,
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      });
    }
    // A client that disconnects cancels the stream, which aborts its generation.
    const abort = new AbortController();
    const streamSignal = AbortSignal.any([abort.signal, signal]);
    const encoder = new TextEncoder();
    const object = chat ? "chat.completion.chunk" : "text_completion";
    // The response starts with the first token: a request refused before that (a prompt over the
    // context, say) is answered as an error, not as a stream.
    let started!: (value: unknown) => void;
    const firstEvent = new Promise((resolve) => (started = resolve));
    let generation!: Promise<GenerateResult[]>;
    let streamedText = false;
    let failedEarly: Error | undefined;
    // The stream releases its queue slot when it ends, or here if it ended before it was answered.
    let answered = false;
    let ended = false;
    const body$ = new ReadableStream<Uint8Array>({
      cancel() {
        abort.abort();
      },
      start(controller) {
        const send = (data: unknown) => {
          try {
            const text = data === "[DONE]" ? data : JSON.stringify(data);
            controller.enqueue(encoder.encode(`data: ${text}\n\n`));
          } catch {
            // The client went away; generation is aborted through the request signal.
          }
        };
        const chunk = (index: number, delta: string | null, finish: Completion | null) => ({
          id,
          object,
          created: now,
          model,
          choices: [
            chat
              ? {
                index,
                delta: delta === null ? {} : { role: "assistant", content: delta },
                finish_reason: finish ? finishReason(finish) : null,
                ...(finish ? { stop_reason: finish.stop ?? null } : {}),
              }
              : {
                index,
                text: delta ?? "",
                finish_reason: finish ? finishReason(finish) : null,
                ...(finish ? { stop_reason: finish.stop ?? null } : {}),
              },
          ],
        });
        generation = policy.generate(requests, {
          signal: streamSignal,
          onText: (r, j, delta) => {
            streamedText = true;
            started(undefined);
            send(chunk(r * n + j, delta, null));
          },
        });
        generation.then((results) => {
          results.forEach((r, p) =>
            r.completions.forEach((c, j) => send(chunk(p * n + j, null, c)))
          );
        }).catch((e: Error) => {
          if (!streamedText) failedEarly = e;
          send({ error: { message: e.message, type: "server_error", param: null, code: 500 } });
        }).finally(() => {
          // vLLM ends every stream with [DONE], after an error too.
          send("[DONE]");
          started(undefined);
          ended = true;
          if (answered) inFlight--;
          try {
            controller.close();
          } catch {
            // Already closed by a disconnect.
          }
        });
      },
    });
    await firstEvent;
    // Refused before its first token: an error answer (the caller releases the slot).
    if (failedEarly) throw failedEarly;
    answered = true;
    if (ended) inFlight--;
    return new Response(body$, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    });
  };

  /** The error response of a failed generation: 400 for what no retry fixes, else 500. */
  const failure = (e: unknown): Response => {
    const message = (e as Error).message;
    if (e instanceof PromptTooLongError) {
      const { promptTokens, maxModelLen } = e.sizes;
      return error(
        400,
        promptTokens !== undefined && maxModelLen !== undefined
          ? `This model's maximum context length is ${maxModelLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`
          : message,
        "BadRequestError",
        "input_tokens",
      );
    }
    // The engine refuses what no retry can fix (an empty prompt, a bad option) with a RangeError.
    if (e instanceof RangeError) return error(400, message, "BadRequestError");
    return error(
      500,
      message.startsWith("Cannot ") ? message : `Cannot generate: ${message}`,
      "server_error",
    );
  };

  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: options.hostname ?? serveDefaults.hostname,
      port: options.port ?? serveDefaults.port,
      onListen: (address) => {
        options.onListen?.(address);
        resolve({
          url: `http://${address.hostname}:${address.port}/v1`,
          port: address.port,
          stats,
          async close(closeOptions = {}) {
            const closed = server.shutdown();
            const drainMs = closeOptions.drainMs ?? Infinity;
            if (Number.isFinite(drainMs)) {
              let timer: ReturnType<typeof setTimeout> | undefined;
              const timedOut = await Promise.race([
                closed.then(() => false),
                new Promise<boolean>((r) => (timer = setTimeout(() => r(true), drainMs))),
              ]);
              clearTimeout(timer);
              if (timedOut) draining.abort();
            }
            await closed;
          },
        });
      },
    }, handle);
  });
}

function finishReason(c: Completion): "stop" | "length" {
  return c.finishReason === "length" ? "length" : "stop";
}

function choice(chat: boolean, index: number, c: Completion, logprobs: boolean) {
  const lp = logprobs && c.logprobs ? c.logprobs : null;
  const tokens = c.tokens ?? [];
  const base = { index, finish_reason: finishReason(c), stop_reason: c.stop ?? null };
  if (chat) {
    return {
      ...base,
      message: { role: "assistant", content: c.text },
      logprobs: lp
        ? {
          content: lp.map((logprob, i) => ({ token: tokens[i] ?? "", logprob, top_logprobs: [] })),
        }
        : null,
    };
  }
  let offset = 0;
  return {
    ...base,
    text: c.text,
    logprobs: lp
      ? {
        tokens,
        token_logprobs: lp,
        top_logprobs: null,
        text_offset: tokens.map((t) => (offset += t.length) - t.length),
      }
      : null,
  };
}

function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function error(status: number, message: string, type: string, param?: string): Response {
  return json({ error: { message, type, param: param ?? null, code: status } }, status);
}
