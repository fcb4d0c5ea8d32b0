import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { type SeededRandom, seededRandom } from "../data/seeded_random.ts";
import { eosTokenIds, readConfig } from "../model/mod.ts";
import { sampleToken } from "./sampler.ts";
import { TextTracker } from "./text_tracker.ts";
import { loadTokenizer, type PolicyTokenizer } from "./tokenizer.ts";
import {
  type Completion,
  type FinishReason,
  type GenerateOptions,
  type GenerateRequest,
  type GenerateResult,
  type Policy,
  resolveSampling,
  type Sampling,
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
}

/** Defaults of {@linkcode OnnxPolicyOptions}. */
export const onnxPolicyDefaults = {
  maxBatch: 64,
  threads: 0,
  prefillLogits: 1 << 25,
} satisfies OnnxPolicyOptions;

/** One sequence being generated: a row of the batch while active. */
interface Sequence {
  prompt: number[];
  sampling: Sampling;
  random: SeededRandom;
  tracker: TextTracker;
  ids: number[];
  logprobs: number[];
  /** Tokens held in the KV cache for this row. */
  len: number;
  /** Sampled token not yet fed to the model. */
  next: number;
  done: boolean;
  finish?: FinishReason;
  stop?: string;
  onText?: (delta: string) => void;
  resolve(completion: Completion): void;
  reject(error: Error): void;
}

/** Where a row's cache lives before it is copied into the batch cache. */
interface CacheSource {
  seq: Sequence;
  tensors: ort.Tensor[];
  row: number;
  length: number;
}

/**
 * Loads a model folder (config.json, tokenizer files, onnx/model.onnx) as a policy decoded by
 * onnxruntime with continuous batching: each row has its own positions and left padding in a
 * shared KV cache; finished rows leave and waiting ones are prefilled and join. Runs the
 * project's own exports and Optimum exports of Qwen2/Llama models (fp32 cache).
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
  let modelPath = join(dir, "onnx", "model.onnx");
  try {
    await Deno.stat(modelPath);
  } catch {
    modelPath = join(dir, "model.onnx");
  }
  const threads = options.threads ?? onnxPolicyDefaults.threads;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      graphOptimizationLevel: "all",
      executionMode: "sequential",
      interOpNumThreads: 1,
      ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
    });
  } catch (error) {
    throw new Error(`Cannot load ONNX model: ${(error as Error).message} (${modelPath})`);
  }
  const heads = config.num_attention_heads;
  const engine = new Engine(session, tokenizer, {
    eos,
    kvHeads: config.num_key_value_heads ?? heads,
    headDim: config.head_dim ?? config.hidden_size / heads,
    vocab: config.vocab_size,
    maxBatch: options.maxBatch ?? onnxPolicyDefaults.maxBatch,
    prefillLogits: options.prefillLogits ?? onnxPolicyDefaults.prefillLogits,
  });
  return {
    name: options.name ?? dir.replace(/\/+$/, "").split("/").pop() ?? "model",
    generate: (requests, generateOptions) => engine.generate(requests, generateOptions),
    close: () => engine.close(),
  };
}

interface EngineSettings {
  eos: Set<number>;
  kvHeads: number;
  headDim: number;
  vocab: number;
  maxBatch: number;
  prefillLogits: number;
}

class Engine {
  #queue: Sequence[] = [];
  #rows: Sequence[] = [];
  /** Per layer: key then value, each [rows, kv_heads, cacheLength, head_dim]. */
  #cache: ort.Tensor[] = [];
  #cacheLength = 0;
  /** Output buffers of the decoding steps, two per cache tensor. */
  #pools: Float32Array[] = [];
  #flip = 0;
  /** Decoding steps run so far, and at the last rebuild (joins are spaced on this clock). */
  #steps = 0;
  #rebuiltAt = 0;
  #running: Promise<void> | null = null;
  #closed = false;
  #pastNames: string[];
  #presentNames: string[];
  #hasPositions: boolean;

  constructor(
    private session: ort.InferenceSession,
    private tokenizer: PolicyTokenizer,
    private settings: EngineSettings,
  ) {
    const layers = session.inputNames.filter((n) => /^past_key_values\.\d+\.key$/.test(n)).length;
    this.#pastNames = [];
    this.#presentNames = [];
    for (let l = 0; l < layers; l++) {
      for (const kind of ["key", "value"]) {
        this.#pastNames.push(`past_key_values.${l}.${kind}`);
        this.#presentNames.push(`present.${l}.${kind}`);
      }
    }
    this.#hasPositions = session.inputNames.includes("position_ids");
  }

  async generate(requests: GenerateRequest[], options: GenerateOptions = {}) {
    if (this.#closed) throw new Error("Cannot generate: the onnx policy is closed");
    const sequences: Sequence[] = [];
    const results = requests.map((request, r) => {
      const sampling = resolveSampling(request, options);
      const text = request.messages
        ? this.tokenizer.applyChatTemplate(request.messages)
        : request.prompt;
      const prompt = this.tokenizer.encode(text, { addSpecialTokens: !request.messages });
      if (prompt.length === 0) {
        throw new RangeError(`Cannot generate: request ${r} has an empty prompt`);
      }
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
    for (const seq of [...this.#queue, ...this.#rows]) if (!seq.done) seq.reject(failure);
    this.#queue = [];
    this.#rows = [];
    return (this.#running ?? Promise.resolve()).then(() => this.session.release());
  }

  #kick() {
    if (this.#running) return;
    this.#running = this.#loop()
      .catch((error: Error) => {
        for (const seq of [...this.#queue, ...this.#rows]) {
          if (!seq.done) {
            seq.done = true;
            seq.reject(error);
          }
        }
        this.#queue = [];
        this.#rows = [];
        this.#cache = [];
      })
      .finally(() => {
        this.#running = null;
        if (this.#queue.length > 0 && !this.#closed) this.#kick();
      });
  }

  async #loop() {
    while (!this.#closed) {
      const dead = this.#rows.filter((s) => s.done).length;
      const live = this.#rows.length - dead;
      const free = this.settings.maxBatch - live;
      // Joining rebuilds the whole batch cache, so joiners come in chunks: a chunk's worth, all
      // that wait when nothing runs, or whoever waits once a chunk's worth of steps has passed
      // since the last rebuild (rows finishing one by one would otherwise each cause one).
      const chunk = Math.ceil(this.settings.maxBatch / 8);
      const waiting = this.#queue.length;
      const admit = waiting > 0 && free > 0 &&
        (live === 0 || Math.min(free, waiting) >= chunk || this.#steps - this.#rebuiltAt >= chunk);
      if (admit || (dead > 0 && (dead * 4 >= this.#rows.length || live === 0))) {
        await this.#rebuild(this.#queue.splice(0, Math.max(0, free)));
      }
      if (this.#rows.length === 0) {
        if (this.#queue.length === 0) return;
        continue;
      }
      await this.#step();
    }
  }

  /** Prefills joining sequences and rebuilds the batch cache from the rows still running. */
  async #rebuild(joiners: Sequence[]) {
    this.#rebuiltAt = this.#steps;
    const sources: CacheSource[] = [];
    this.#rows.forEach((seq, row) => {
      if (!seq.done) sources.push({ seq, tensors: this.#cache, row, length: this.#cacheLength });
    });
    joiners.sort((a, b) => a.prompt.length - b.prompt.length);
    let start = 0;
    while (start < joiners.length) {
      let end = start + 1;
      while (
        end < joiners.length &&
        (end + 1 - start) * joiners[end].prompt.length * this.settings.vocab <=
          this.settings.prefillLogits
      ) end++;
      sources.push(...await this.#prefill(joiners.slice(start, end)));
      start = end;
    }
    const kept = sources.filter((s) => !s.seq.done);
    const length = Math.max(0, ...kept.map((s) => s.seq.len));
    const { kvHeads, headDim } = this.settings;
    const cache: ort.Tensor[] = [];
    for (let t = 0; t < this.#pastNames.length; t++) {
      const data = new Float32Array(kept.length * kvHeads * length * headDim);
      kept.forEach((source, i) => {
        const src = source.tensors[t].data as Float32Array;
        const len = source.seq.len;
        for (let h = 0; h < kvHeads; h++) {
          const from = ((source.row * kvHeads + h) * source.length + source.length - len) * headDim;
          const to = ((i * kvHeads + h) * length + length - len) * headDim;
          data.set(src.subarray(from, from + len * headDim), to);
        }
      });
      cache.push(new ort.Tensor("float32", data, [kept.length, kvHeads, length, headDim]));
    }
    this.#rows = kept.map((s) => s.seq);
    this.#cache = cache;
    this.#cacheLength = length;
  }

  /** Runs the prompts of new sequences (left-padded) and samples their first tokens. */
  async #prefill(seqs: Sequence[]): Promise<CacheSource[]> {
    const rows = seqs.length;
    const width = Math.max(...seqs.map((s) => s.prompt.length));
    const ids = new BigInt64Array(rows * width);
    const mask = new BigInt64Array(rows * width);
    const positions = new BigInt64Array(rows * width);
    seqs.forEach((seq, r) => {
      const pad = width - seq.prompt.length;
      for (let i = 0; i < seq.prompt.length; i++) {
        ids[r * width + pad + i] = BigInt(seq.prompt[i]);
        mask[r * width + pad + i] = 1n;
        positions[r * width + pad + i] = BigInt(i);
      }
    });
    const empty = new Float32Array(0);
    const { kvHeads, headDim, vocab } = this.settings;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", ids, [rows, width]),
      attention_mask: new ort.Tensor("int64", mask, [rows, width]),
    };
    if (this.#hasPositions) feeds.position_ids = new ort.Tensor("int64", positions, [rows, width]);
    for (const name of this.#pastNames) {
      feeds[name] = new ort.Tensor("float32", empty, [rows, kvHeads, 0, headDim]);
    }
    const out = await this.session.run(feeds);
    const logits = out.logits.data as Float32Array;
    const tensors = this.#presentNames.map((n) => out[n]);
    return seqs.map((seq, r) => {
      seq.len = seq.prompt.length;
      const at = (r * width + width - 1) * vocab;
      this.#accept(seq, logits.subarray(at, at + vocab));
      return { seq, tensors, row: r, length: width };
    });
  }

  /** One decoding step for every row of the batch. */
  async #step() {
    const rows = this.#rows.length;
    const total = this.#cacheLength + 1;
    const ids = new BigInt64Array(rows);
    const positions = new BigInt64Array(rows);
    const mask = new BigInt64Array(rows * total);
    for (let r = 0; r < rows; r++) {
      const seq = this.#rows[r];
      ids[r] = BigInt(seq.next < 0 ? 0 : seq.next);
      positions[r] = BigInt(seq.len);
      mask.fill(1n, r * total + total - seq.len - 1, (r + 1) * total);
    }
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", ids, [rows, 1]),
      attention_mask: new ort.Tensor("int64", mask, [rows, total]),
    };
    if (this.#hasPositions) feeds.position_ids = new ort.Tensor("int64", positions, [rows, 1]);
    this.#pastNames.forEach((name, t) => feeds[name] = this.#cache[t]);
    // Outputs are written into preallocated pools (two per cache tensor, used in turn), so
    // onnxruntime writes the grown cache straight into JS memory: no copy, no fresh allocation.
    const { kvHeads, headDim, vocab } = this.settings;
    const fetches: Record<string, ort.Tensor> = {
      logits: new ort.Tensor("float32", new Float32Array(rows * vocab), [rows, 1, vocab]),
    };
    const size = rows * kvHeads * total * headDim;
    this.#flip = 1 - this.#flip;
    this.#presentNames.forEach((name, t) => {
      const key = 2 * t + this.#flip;
      let pool = this.#pools[key];
      if (!pool || pool.length < size) {
        pool = this.#pools[key] = new Float32Array(Math.ceil(size * 1.25));
      }
      fetches[name] = new ort.Tensor("float32", pool.subarray(0, size), [
        rows,
        kvHeads,
        total,
        headDim,
      ]);
    });
    const out = await this.session.run(feeds, fetches);
    this.#steps++;
    this.#cache = this.#presentNames.map((n) => out[n]);
    this.#cacheLength = total;
    const logits = out.logits.data as Float32Array;
    for (let r = 0; r < rows; r++) {
      const seq = this.#rows[r];
      seq.len++;
      if (!seq.done) this.#accept(seq, logits.subarray(r * vocab, (r + 1) * vocab));
    }
  }

  /** Samples the next token of a sequence from its logits and checks whether it is finished. */
  #accept(seq: Sequence, logits: Float32Array) {
    if (seq.done) return;
    const { temperature, topP, topK, logprobs, maxNewTokens } = seq.sampling;
    const sampled = sampleToken(logits, { temperature, topP, topK, logprob: logprobs }, seq.random);
    seq.ids.push(sampled.token);
    if (logprobs) seq.logprobs.push(sampled.logprob);
    seq.next = sampled.token;
    if (this.settings.eos.has(sampled.token)) {
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
