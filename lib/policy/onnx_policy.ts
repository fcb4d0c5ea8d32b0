import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { seededRandom } from "../data/seeded_random.ts";
import {
  eosTokenIds,
  exportOnnx,
  onnxProducer,
  onnxProducerName,
  readConfig,
  readOnnxWeights,
} from "../model/mod.ts";
import { BufferDecoder } from "./_buffer_decoder.ts";
import { ConcatDecoder } from "./_concat_decoder.ts";
import type { Decoder, ParkedCache, Sequence } from "./_sequence.ts";
import { sampleToken } from "./sampler.ts";
import { TextTracker } from "./text_tracker.ts";
import { PromptTooLongError } from "./errors.ts";
import { loadTokenizer, type PolicyTokenizer } from "./tokenizer.ts";
import {
  type Completion,
  continuesFinalMessage,
  type GenerateOptions,
  type GenerateRequest,
  type GenerateResult,
  type Policy,
  resolveSampling,
} from "./types.ts";

/** Options of {@linkcode createOnnxPolicy}. */
export interface OnnxPolicyOptions {
  /** Most sequences decoded together; waiting ones join as rows finish. */
  maxBatch?: number;
  /** onnxruntime intra-op threads (0 = its default, one per core). */
  threads?: number;
  /** Model name reported by the policy; the folder name when left out. */
  name?: string;
  /** Most logits values one prefill run may produce (rows × prompt length × vocab). */
  prefillLogits?: number;
  /**
   * Most attention scores one prefill run may produce (rows × heads × prompt length²): with a
   * small vocabulary the scores, not the logits, are a long prompt's largest tensors. A prompt
   * over the bound on its own still runs, alone.
   */
  prefillScores?: number;
  /**
   * The largest share of a prefill run's positions that may be padding: joiners are prefilled in
   * groups of similar prompt length, a longer prompt starting a new group (groups under 512
   * positions excepted). 1 leaves only the two bounds above to split an admission.
   */
  prefillPadding?: number;
  /**
   * `buffer`: a model.onnx of this project's exporter is rebuilt, from the file's own weights, as
   * the buffer graph, whose KV cache is never copied (see `exportOnnx`). `concat`: the file runs
   * as it is. Other exports (Optimum) always run as they are.
   */
  kvCache?: "buffer" | "concat";
  /**
   * Most bytes of KV cache the rows decoded together may need (rows × their longest prompt plus
   * budget): joiners wait while admitting them would go over it, and a request that needs more on
   * its own is refused before anything is allocated.
   */
  maxCacheBytes?: number;
  /** When the engine goes idle holding more cache than this, it returns the memory. */
  idleCacheBytes?: number;
  /**
   * Keep a trajectory's KV cache across its tool calls (requests with a `cache` hint): only the
   * inserted tokens are prefilled. Off: every step prefills its whole prompt.
   */
  kvContinuation?: boolean;
}

/** Defaults of {@linkcode OnnxPolicyOptions}. */
export const onnxPolicyDefaults = {
  maxBatch: 64,
  threads: 0,
  prefillLogits: 1 << 25,
  prefillScores: 1 << 25,
  prefillPadding: 0.2,
  kvCache: "buffer",
  maxCacheBytes: 4 * 2 ** 30,
  idleCacheBytes: 256 * 2 ** 20,
  kvContinuation: true,
} satisfies OnnxPolicyOptions;

/**
 * Loads a model folder (config.json, tokenizer files, onnx/model.onnx) as a policy decoded by
 * onnxruntime with continuous batching: finished rows leave and waiting ones are prefilled and
 * join. The project's own exports are decoded through the buffer graph rebuilt from the file's
 * weights (the cache stays in JS memory and is never copied); Optimum exports of Qwen2/Llama
 * models (fp32 cache) run through their own graph.
 */
export async function createOnnxPolicy(
  dir: string,
  options: OnnxPolicyOptions = {},
): Promise<Policy> {
  const config = await readConfig(dir);
  const tokenizer = await loadTokenizer(dir);
  let generation: { eos_token_id?: number | number[] } = {};
  try {
    generation = JSON.parse(await Deno.readTextFile(join(dir, "generation_config.json")));
  } catch {
    // generation_config.json is optional; config.json's eos_token_id remains.
  }
  const eos = new Set([...eosTokenIds(config), ...eosTokenIds(generation)]);
  const candidates = [join(dir, "onnx", "model.onnx"), join(dir, "model.onnx")];
  const found = await Promise.all(
    candidates.map((p) => Deno.stat(p).then(() => true, () => false)),
  );
  const modelPath = candidates[found.indexOf(true)];
  if (modelPath === undefined) {
    throw new Error(
      `Cannot load ONNX model: no onnx/model.onnx or model.onnx (${dir}); deno task train writes one, or export the model with Optimum`,
    );
  }
  const threads = options.threads ?? onnxPolicyDefaults.threads;
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    executionMode: "sequential",
    interOpNumThreads: 1,
    ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
  };
  const heads = config.num_attention_heads;
  const layers = config.num_hidden_layers;
  let engine: Engine;
  try {
    const rebuild = (options.kvCache ?? onnxPolicyDefaults.kvCache) === "buffer";
    const weights = rebuild ? await ownWeights(modelPath) : null;
    const session = weights
      ? await ort.InferenceSession.create(
        exportOnnx(config, weights, { kvCache: "buffer" }),
        sessionOptions,
      )
      : await ort.InferenceSession.create(modelPath, sessionOptions);
    const kvHeads = config.num_key_value_heads ?? heads;
    const headDim = config.head_dim ?? config.hidden_size / heads;
    const bounds: EngineBounds = {
      maxModelLen: config.max_position_embeddings,
      // Keys and values of every layer, float32.
      bytesPerPosition: layers * 2 * kvHeads * headDim * 4,
      maxCacheBytes: options.maxCacheBytes ?? onnxPolicyDefaults.maxCacheBytes,
      idleCacheBytes: options.idleCacheBytes ?? onnxPolicyDefaults.idleCacheBytes,
      kvContinuation: options.kvContinuation ?? onnxPolicyDefaults.kvContinuation,
    };
    engine = new Engine(session, tokenizer, eos, bounds, (accept) => {
      const settings = {
        heads,
        kvHeads,
        headDim,
        vocab: config.vocab_size,
        maxBatch: options.maxBatch ?? onnxPolicyDefaults.maxBatch,
        prefillLogits: options.prefillLogits ?? onnxPolicyDefaults.prefillLogits,
        prefillScores: options.prefillScores ?? onnxPolicyDefaults.prefillScores,
        prefillPadding: options.prefillPadding ?? onnxPolicyDefaults.prefillPadding,
        layers,
        accept,
      };
      return weights ? new BufferDecoder(session, settings) : new ConcatDecoder(session, {
        ...settings,
        positions: session.inputNames.includes("position_ids"),
      });
    });
  } catch (error) {
    throw new Error(`Cannot load ONNX model: ${(error as Error).message} (${modelPath})`);
  }
  return {
    name: options.name ?? dir.replace(/\/+$/, "").split("/").pop() ?? "model",
    backend: "onnx",
    maxModelLen: config.max_position_embeddings,
    get stats() {
      return engine.stats;
    },
    generate: (requests, generateOptions) => engine.generate(requests, generateOptions),
    close: () => engine.close(),
  };
}

function parkedBytes(cache: ParkedCache): number {
  return cache.tensors.reduce((sum, t) => sum + t.byteLength, 0);
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** The weights of a model.onnx written by this project's exporter; null for other files. */
async function ownWeights(path: string) {
  const file = await Deno.open(path);
  try {
    const head = new Uint8Array(4096);
    const read = await file.read(head);
    if (onnxProducerName(head.subarray(0, read ?? 0)) !== onnxProducer) return null;
  } finally {
    file.close();
  }
  return readOnnxWeights(await Deno.readFile(path));
}

/** What bounds an engine's memory: the model's context and the KV cache it may hold. */
interface EngineBounds {
  maxModelLen: number;
  bytesPerPosition: number;
  maxCacheBytes: number;
  idleCacheBytes: number;
  kvContinuation: boolean;
}

/**
 * Queues requests and drives a decoder: continuous batching (rows that finish leave, waiting
 * sequences join in chunks), sampling, stop strings and completion results. The model's context
 * is a hard bound (a prompt that does not fit is refused, a token budget is cut to what fits), and
 * so is the KV cache the rows may need together.
 */
class Engine {
  #queue: Sequence[] = [];
  #decoder: Decoder;
  /** Decoding steps run so far, and at the last admission (joins are spaced on this clock). */
  #steps = 0;
  #admittedAt = 0;
  #running: Promise<void> | null = null;
  #closed = false;
  /** Caches of trajectories waiting on a tool call, by their key (oldest first). */
  #parked = new Map<string, ParkedCache>();
  #parkedBytes = 0;
  readonly stats = { prefillTokens: 0, reusedTokens: 0 };

  constructor(
    private session: ort.InferenceSession,
    private tokenizer: PolicyTokenizer,
    private eos: Set<number>,
    private bounds: EngineBounds,
    decoder: (accept: (seq: Sequence, logits: Float32Array) => void) => Decoder,
  ) {
    this.#decoder = decoder((seq, logits) => this.#accept(seq, logits));
  }

  async generate(requests: GenerateRequest[], options: GenerateOptions = {}) {
    if (this.#closed) throw new Error("Cannot generate: the onnx policy is closed");
    const sequences: Sequence[] = [];
    const results = requests.map((request, r) => {
      const sampling = resolveSampling(request, options);
      const prompt = request.promptIds ?? this.tokenizer.encode(
        request.messages
          ? this.tokenizer.applyChatTemplate(request.messages, {
            continueFinalMessage: continuesFinalMessage(request.messages),
          })
          : request.prompt,
        { addSpecialTokens: !request.messages },
      );
      if (prompt.length === 0) {
        throw new RangeError(`Cannot generate: request ${r} has an empty prompt`);
      }
      const { maxModelLen, bytesPerPosition, maxCacheBytes } = this.bounds;
      if (prompt.length >= maxModelLen) {
        throw new PromptTooLongError(
          `Cannot generate: request ${r} has ${prompt.length} prompt tokens, and the model's context is ${maxModelLen} (max_position_embeddings)`,
          { promptTokens: prompt.length, maxModelLen },
        );
      }
      // As vLLM: the budget is cut to what fits beside the prompt.
      sampling.maxNewTokens = Math.min(sampling.maxNewTokens, maxModelLen - prompt.length);
      const needs = (prompt.length + sampling.maxNewTokens) * bytesPerPosition;
      if (needs > maxCacheBytes) {
        throw new RangeError(
          `Cannot generate: request ${r} needs ${
            mib(needs)
          } of KV cache, more than the engine's bound of ${mib(maxCacheBytes)} (maxCacheBytes)`,
        );
      }
      const resume = this.#takeParked(request.cache?.key, prompt);
      const keepOnStop = this.bounds.kvContinuation && this.#decoder.parks
        ? request.cache?.keepOnStop
        : undefined;
      const seed = sampling.seed ?? Math.floor(Math.random() * 2 ** 31);
      const completions = Array.from(
        { length: sampling.n },
        (_, j) =>
          new Promise<Completion>((resolve, reject) => {
            sequences.push({
              prompt,
              sampling,
              // Each sample gets its own stream, so results do not depend on batch composition.
              random: seededRandom((seed + Math.imul(j, 0x9e3779b1)) >>> 0),
              tracker: new TextTracker(this.tokenizer, sampling.stop),
              ids: [],
              logprobs: [],
              len: 0,
              next: -1,
              done: false,
              onText: options.onText ? (delta) => options.onText!(r, j, delta) : undefined,
              resume,
              keepOnStop,
              park: keepOnStop === undefined
                ? undefined
                : (cache) => this.#park(request.cache!.key, cache),
              resolve,
              reject,
            });
          }),
      );
      return Promise.all(completions).then((c): GenerateResult => ({ completions: c }));
    });
    const abort = () => {
      for (const seq of sequences) {
        if (!seq.done) {
          seq.done = true;
          seq.reject(new Error("Cannot generate: aborted"));
        }
      }
      this.#queue = this.#queue.filter((s) => !s.done);
    };
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    this.#queue.push(...sequences);
    this.#kick();
    try {
      return await Promise.all(results);
    } finally {
      options.signal?.removeEventListener("abort", abort);
    }
  }

  close(): Promise<void> {
    this.#closed = true;
    const failure = new Error("Cannot generate: the onnx policy was closed");
    for (const seq of [...this.#queue, ...this.#decoder.rows]) if (!seq.done) seq.reject(failure);
    this.#queue = [];
    this.#decoder.clear();
    return (this.#running ?? Promise.resolve()).then(() => this.session.release());
  }

  #kick() {
    if (this.#running) return;
    this.#running = this.#loop()
      .catch((error: Error) => {
        for (const seq of [...this.#queue, ...this.#decoder.rows]) {
          if (!seq.done) {
            seq.done = true;
            seq.reject(error);
          }
        }
        this.#queue = [];
        this.#decoder.clear();
      })
      .finally(() => {
        this.#running = null;
        if (this.#queue.length > 0 && !this.#closed) this.#kick();
      });
  }

  async #loop() {
    const maxBatch = this.#decoder.maxBatch;
    while (!this.#closed) {
      const rows = this.#decoder.rows;
      const dead = rows.filter((s) => s.done).length;
      const live = rows.length - dead;
      const free = maxBatch - live;
      // Each admission runs a prefill (and, for the standard graph, rebuilds the batch cache),
      // so joiners come in chunks: a chunk's worth, all that wait when nothing runs, or whoever
      // waits once a chunk's worth of steps has passed since the last admission.
      const chunk = Math.ceil(maxBatch / 8);
      const waiting = this.#queue.length;
      const admit = waiting > 0 && free > 0 &&
        (live === 0 || Math.min(free, waiting) >= chunk || this.#steps - this.#admittedAt >= chunk);
      if (admit || (dead > 0 && (dead * 4 >= rows.length || live === 0))) {
        this.#admittedAt = this.#steps;
        const joiners = this.#queue.splice(0, this.#fitting(free));
        for (const seq of joiners) {
          const reused = seq.resume?.ids.length ?? 0;
          this.stats.reusedTokens += reused;
          this.stats.prefillTokens += seq.prompt.length - reused;
        }
        await this.#decoder.admit(joiners);
      }
      if (this.#decoder.rows.length === 0) {
        if (this.#queue.length === 0) {
          // Idle: a spike's cache goes back; a usual batch's stays for the next call.
          if (this.#decoder.cacheBytes > this.bounds.idleCacheBytes) this.#decoder.clear();
          return;
        }
        continue;
      }
      await this.#decoder.step();
      this.#steps++;
    }
  }

  /**
   * The parked cache of a trajectory, when its ids begin this prompt and leave at least one token
   * to prefill; it leaves the store either way (a key is continued once).
   */
  #takeParked(key: string | undefined, prompt: number[]): ParkedCache | undefined {
    if (key === undefined) return undefined;
    const parked = this.#parked.get(key);
    if (!parked) return undefined;
    this.#parked.delete(key);
    this.#parkedBytes -= parkedBytes(parked);
    const fits = parked.ids.length < prompt.length && parked.ids.every((id, i) => id === prompt[i]);
    return fits ? parked : undefined;
  }

  /** Keeps a finished sequence's cache for its continuation, within a quarter of the bound. */
  #park(key: string, cache: ParkedCache) {
    const old = this.#parked.get(key);
    if (old) this.#parkedBytes -= parkedBytes(old);
    this.#parked.set(key, cache);
    this.#parkedBytes += parkedBytes(cache);
    // Trajectories that never come back (no code to run after all) age out, oldest first.
    for (const [k, c] of this.#parked) {
      if (this.#parkedBytes <= this.bounds.maxCacheBytes / 4) break;
      this.#parked.delete(k);
      this.#parkedBytes -= parkedBytes(c);
    }
  }

  /**
   * How many of the waiting sequences may join `free` rows without the batch's KV cache (rows ×
   * the longest prompt plus budget) going over the bound; at least one when nothing runs.
   */
  #fitting(free: number): number {
    const { bytesPerPosition, maxCacheBytes } = this.bounds;
    const need = (s: Sequence) => s.prompt.length + s.sampling.maxNewTokens;
    const live = this.#decoder.rows.filter((s) => !s.done);
    let longest = Math.max(0, ...live.map(need));
    let count = 0;
    while (count < Math.min(free, this.#queue.length)) {
      const next = Math.max(longest, need(this.#queue[count]));
      const rows = live.length + count + 1;
      if (rows > 1 && rows * next * bytesPerPosition > maxCacheBytes) break;
      longest = next;
      count++;
    }
    return count;
  }

  /** Samples the next token of a sequence from its logits and checks whether it is finished. */
  #accept(seq: Sequence, logits: Float32Array) {
    if (seq.done) return;
    const { temperature, topP, topK, logprobs, maxNewTokens } = seq.sampling;
    const sampled = sampleToken(logits, { temperature, topP, topK, logprob: logprobs }, seq.random);
    seq.ids.push(sampled.token);
    if (logprobs) seq.logprobs.push(sampled.logprob);
    seq.next = sampled.token;
    if (this.eos.has(sampled.token)) {
      seq.finish = "eos";
    } else {
      const pushed = seq.tracker.push(sampled.token);
      if (pushed.delta) seq.onText?.(pushed.delta);
      if (pushed.stop !== undefined) {
        seq.finish = "stop";
        seq.stop = pushed.stop;
      }
    }
    if (!seq.finish && seq.ids.length >= maxNewTokens) seq.finish = "length";
    if (!seq.finish) return;
    seq.done = true;
    // Stopped where a tool call will continue it: its cache is parked as the row leaves.
    if (seq.keepOnStop !== undefined && seq.stop === seq.keepOnStop) seq.parkLen = seq.len;
    const rest = seq.tracker.flush();
    if (rest) seq.onText?.(rest);
    seq.resolve({
      text: seq.tracker.text,
      finishReason: seq.finish,
      ...(seq.stop !== undefined ? { stop: seq.stop } : {}),
      promptTokens: seq.prompt.length,
      completionTokens: seq.ids.length,
      tokenIds: seq.ids,
      ...(logprobs
        ? {
          logprobs: seq.logprobs,
          tokens: seq.ids.map((id) => this.tokenizer.decode([id], { keepSpecial: true })),
        }
        : {}),
    });
  }
}
