import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { eosTokenIds } from "../model/config.ts";
import { loadModel } from "../model/load_model.ts";
import { writeModel } from "../model/write_model.ts";
import { seededRandom } from "../data/seeded_random.ts";
import { loadTokenizer } from "../policy/tokenizer.ts";
import { disposeBatch, encodeRecord, makeBatch } from "./batch.ts";
import { losses } from "./losses.ts";
import { groupAdvantages, type TrainRecord } from "./records.ts";
import { Decoder } from "./decoder.ts";
import { findCheckpoint, loadOptimizerState, saveCheckpoint } from "./checkpoint.ts";

/** Options of {@linkcode train}. */
export interface TrainOptions {
  loss: keyof typeof losses;
  /** Folder the trained model (and its checkpoints) is written to. */
  outDir: string;
  epochs: number;
  /** Stop after this many optimizer steps (default: all epochs). */
  maxSteps?: number;
  /** Horizon of the warmup + cosine schedule (default: the steps this call runs to). */
  scheduleSteps?: number;
  batchSize: number;
  /** Micro-batches per optimizer step. */
  accumulate: number;
  lr: number;
  weightDecay: number;
  warmupSteps: number;
  /** Global gradient-norm clip. */
  clipNorm: number;
  clipEps: number;
  lambda: number;
  /**
   * Length bucketing: records are sorted by length within windows of this many micro-batches of
   * the shuffled order (less padding), and the window's batches are shuffled again (default 8; 1
   * turns it off).
   */
  bucket?: number;
  /** Tokens per sequence at most. */
  maxLength: number;
  seed: number;
  /** Save a checkpoint (with optimizer state) every N steps; 0 = only at the end. */
  checkpointEvery: number;
  /** Continue from the checkpoint in `outDir`. */
  resume: boolean;
  /** Write onnx/model.onnx at every save (eval and curate run it). */
  exportOnnx: boolean;
  signal?: AbortSignal;
  /** Called after every optimizer step with its metrics. */
  onStep?: (step: number, total: number, metrics: Record<string, number>) => void;
}

/** What a training run did. */
export interface TrainSummary {
  steps: number;
  /** Target tokens trained on (the model's own, in a loss). */
  tokens: number;
  /** Input positions run through the model in this call, not counting padding. */
  inputTokens: number;
  /** Positions run through the model in this call, padding included. */
  computedTokens: number;
  /** Wall time of the steps (the final checkpoint and export not included). */
  seconds: number;
  /** Records encoded from text because they had no token ids (see encodeRecord). */
  retokenized: number;
  last: Record<string, number>;
}

/**
 * The M-step loop (nanoGPT-style): AdamW with decoupled weight decay, global-norm gradient
 * clipping, linear warmup then cosine decay, gradient accumulation, a seeded data order per
 * epoch, checkpoints with optimizer state (so `resume` continues the same sequence of batches),
 * and the model written as an HF folder (safetensors + config.json, ONNX for inference).
 */
export async function train(
  modelDir: string,
  records: readonly TrainRecord[],
  options: TrainOptions,
): Promise<TrainSummary> {
  if (records.length === 0) throw new RangeError("Cannot train: no training records");
  const resumeFrom = options.resume ? await findCheckpoint(options.outDir) : undefined;
  const { config, weights } = await loadModel(resumeFrom?.dir ?? modelDir);
  const tokenizer = await loadTokenizer(modelDir);
  const tokenizerFiles = {
    tokenizer: JSON.parse(await Deno.readTextFile(join(modelDir, "tokenizer.json"))),
    tokenizerConfig: JSON.parse(await Deno.readTextFile(join(modelDir, "tokenizer_config.json"))),
  };
  const eos = eosTokenIds(config).at(-1) ?? 0;
  const pad = eos;
  const decoder = new Decoder(config, weights);
  const optimizer = tf.train.adam(options.lr, 0.9, 0.95, 1e-8);
  const encoded = records.map((r) =>
    encodeRecord(r, tokenizer, { maxLength: options.maxLength, eos })
  );
  const advantages = groupAdvantages(records);
  const perEpoch = Math.ceil(records.length / (options.batchSize * options.accumulate));
  const total = Math.min(options.maxSteps ?? Infinity, perEpoch * options.epochs);
  const lossFn = losses[options.loss];
  let step = resumeFrom?.state.step ?? 0;
  let tokens = resumeFrom?.state.tokens ?? 0;
  const tokensBefore = tokens;
  let inputTokens = 0;
  let computedTokens = 0;
  if (resumeFrom) await loadOptimizerState(optimizer, resumeFrom.dir);
  const started = performance.now();
  let last: Record<string, number> = {};
  const orderOf = (epoch: number) => {
    const random = seededRandom(options.seed * 1000 + epoch);
    const shuffled = random.shuffle(records.map((_, i) => i));
    return bucketByLength(shuffled, encoded.map((e) => e.ids.length), {
      batchSize: options.batchSize,
      window: options.bucket ?? 8,
      random,
    });
  };
  let order = orderOf(Math.floor(step / perEpoch));

  try {
    while (step < total && !options.signal?.aborted) {
      const epoch = Math.floor(step / perEpoch);
      if (step % perEpoch === 0) order = orderOf(epoch);
      const within = step % perEpoch;
      let summed: Record<string, tf.Tensor> | undefined;
      const sums: Record<string, number> = {};
      const seen = { rewarded: 0, reward: 0, coded: 0, code: 0, records: 0, retokenized: 0 };
      let micros = 0;
      for (let micro = 0; micro < options.accumulate; micro++) {
        const from = (within * options.accumulate + micro) * options.batchSize;
        const idx = order.slice(from, from + options.batchSize);
        if (idx.length === 0) break;
        micros++;
        for (const i of idx) {
          const r = records[i];
          seen.records++;
          if (encoded[i].retokenized) seen.retokenized++;
          if (r.reinforce) {
            [seen.rewarded, seen.reward] = [seen.rewarded + 1, seen.reward + r.reward];
          }
          if (r.usedCode !== undefined) {
            [seen.coded, seen.code] = [seen.coded + 1, seen.code + (r.usedCode ? 1 : 0)];
          }
        }
        const batch = makeBatch(
          idx.map((i) => encoded[i]),
          idx.map((i) => records[i]),
          idx.map((i) => advantages[i]),
          pad,
        );
        tokens += batch.tokens;
        inputTokens += batch.inputTokens;
        computedTokens += batch.ids.size;
        const metrics: Record<string, tf.Scalar> = {};
        const { value, grads } = tf.variableGrads(() => {
          const result = lossFn(decoder.forward(batch.ids), batch, options);
          for (const [k, v] of Object.entries(result.metrics)) metrics[k] = tf.keep(v);
          return result.loss;
        }, decoder.trainable());
        sums.loss = (sums.loss ?? 0) + (await value.data())[0];
        for (const [k, v] of Object.entries(metrics)) {
          sums[k] = (sums[k] ?? 0) + (await v.data())[0];
          // A metric may be the loss tensor itself: dispose each tensor once.
          if (v !== value) v.dispose();
        }
        value.dispose();
        if (!summed) summed = grads;
        else {
          for (const name of Object.keys(grads)) {
            const next = summed[name].add(grads[name]);
            summed[name].dispose();
            grads[name].dispose();
            summed[name] = next;
          }
        }
        disposeBatch(batch);
      }
      if (!summed) break;
      if (!Number.isFinite(sums.loss)) {
        for (const g of Object.values(summed)) g.dispose();
        throw new Error(nonFinite(step + 1, "loss"));
      }
      const lr = learningRate(step, options.scheduleSteps ?? total, options);
      const norm = await applyStep(decoder, optimizer, summed, {
        lr,
        scale: 1 / micros, // an epoch's last step may have fewer micro-batches
        clipNorm: options.clipNorm,
        weightDecay: options.weightDecay,
        step: step + 1,
      });
      step++;
      last = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / micros]));
      if (seen.rewarded > 0) last.reward = seen.reward / seen.rewarded;
      if (seen.coded > 0) last.code_rate = seen.code / seen.coded;
      // The share of the step's records read from text rather than as their sampled tokens.
      last.retokenized = seen.retokenized / seen.records;
      last.lr = lr;
      last.grad_norm = norm;
      last.tokens_per_s = (tokens - tokensBefore) / ((performance.now() - started) / 1000);
      options.onStep?.(step, total, last);
      // wasm kernels and their reads are synchronous: yield so timers and signals get a turn.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (options.checkpointEvery > 0 && step % options.checkpointEvery === 0 && step < total) {
        await checkpoint();
      }
    }
    const seconds = (performance.now() - started) / 1000;
    await checkpoint();
    const retokenized = encoded.filter((e) => e.retokenized).length;
    return { steps: step, tokens, inputTokens, computedTokens, seconds, retokenized, last };
  } finally {
    decoder.dispose();
    optimizer.dispose();
  }

  /** The model folder for eval and curate (ONNX included), then the resume state. */
  async function checkpoint() {
    const current = await decoder.weights();
    await writeModel(options.outDir, {
      config,
      weights: current,
      tokenizer: tokenizerFiles,
      skipOnnx: !options.exportOnnx,
    });
    await saveCheckpoint(options.outDir, {
      config,
      weights: current,
      optimizer,
      state: { step, seed: options.seed, tokens },
    });
  }
}

/**
 * Reorders a shuffled index list so that each batch holds records of similar length: within each
 * window of `window` batches, records are sorted by length, cut into batches, and the batches
 * shuffled. Deterministic for a given generator state.
 */
export function bucketByLength(
  order: readonly number[],
  lengths: readonly number[],
  options: { batchSize: number; window: number; random: { shuffle<T>(items: readonly T[]): T[] } },
): number[] {
  if (options.window <= 1) return [...order];
  const span = options.batchSize * options.window;
  const out: number[] = [];
  for (let from = 0; from < order.length; from += span) {
    const sorted = order.slice(from, from + span).sort((a, b) => lengths[a] - lengths[b] || a - b);
    const batches: number[][] = [];
    for (let b = 0; b < sorted.length; b += options.batchSize) {
      batches.push(sorted.slice(b, b + options.batchSize));
    }
    // The window's last batch may be short: keep it last so only the epoch's end is ragged.
    const full = batches.filter((b) => b.length === options.batchSize);
    out.push(
      ...options.random.shuffle(full).flat(),
      ...batches.filter((b) => b.length < options.batchSize).flat(),
    );
  }
  return out;
}

/** Linear warmup, then cosine decay to a tenth of the peak. */
export function learningRate(
  step: number,
  total: number,
  options: { lr: number; warmupSteps: number },
): number {
  if (step < options.warmupSteps) return (options.lr * (step + 1)) / options.warmupSteps;
  const progress = (step - options.warmupSteps) / Math.max(1, total - options.warmupSteps);
  return options.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
}

/** Clips, applies Adam and decoupled weight decay (matrices only); returns the gradient norm. */
async function applyStep(
  decoder: Decoder,
  optimizer: tf.AdamOptimizer,
  grads: Record<string, tf.Tensor>,
  options: { lr: number; scale: number; clipNorm: number; weightDecay: number; step: number },
): Promise<number> {
  const names = Object.keys(grads);
  const normTensor = tf.tidy(() =>
    tf.sqrt(tf.addN(names.map((n) => grads[n].square().sum()))).mul(options.scale)
  );
  const norm = (await normTensor.data())[0];
  normTensor.dispose();
  if (!Number.isFinite(norm)) {
    for (const n of names) grads[n].dispose();
    throw new Error(nonFinite(options.step, "gradient norm"));
  }
  const coefficient = options.scale * Math.min(1, options.clipNorm / (norm + 1e-6));
  const scaled: tf.NamedTensorMap = tf.tidy(() =>
    Object.fromEntries(names.map((n) => [n, grads[n].mul(coefficient)]))
  );
  for (const n of names) grads[n].dispose();
  // tfjs keeps the rate in a protected field; the schedule sets it before every step.
  (optimizer as unknown as { learningRate: number }).learningRate = options.lr;
  optimizer.applyGradients(scaled as unknown as tf.NamedTensorMap & Record<string, tf.Variable>);
  for (const t of Object.values(scaled)) t.dispose();
  if (options.weightDecay > 0) {
    tf.tidy(() => {
      for (const v of decoder.variables.values()) {
        if (v.rank >= 2) v.assign(v.mul(1 - options.lr * options.weightDecay)); // not norms, biases
      }
    });
  }
  return norm;
}

/** The error of a step whose loss or gradient is not a number; the weights are left as they were. */
function nonFinite(step: number, what: string): string {
  return `Cannot train: step ${step} gave a non-finite ${what}, so it was not applied (the last checkpoint is intact; on wasm, running out of memory shows this way: lower --batch-size and raise --accumulate, or lower --max-length)`;
}
