import * as tf from "@tensorflow/tfjs";
import type { Batch } from "./batch.ts";

/** Knobs of the losses. */
export interface LossOptions {
  /** PPO-style clip range of the importance ratio. */
  clipEps: number;
  /** Weight of the NLL (imitation) term in `autocode`. */
  lambda: number;
}

/** What a loss returns: the scalar to minimise and metrics (tensors, read after the step). */
export interface LossResult {
  loss: tf.Scalar;
  metrics: Record<string, tf.Scalar>;
}

/** A loss: logits of a batch → scalar. Pure: no state, no side effects. */
export type LossFn = (logits: tf.Tensor3D, batch: Batch, options: LossOptions) => LossResult;

/** Log-prob of each target token `[B, T]`, and the entropy of each position. */
export function tokenLogprobs(logits: tf.Tensor3D, targets: tf.Tensor2D) {
  const logp = tf.logSoftmax(logits); // [B, T, V]
  const picked = logp.mul(tf.oneHot(targets, logits.shape[2]).toFloat()).sum(-1) as tf.Tensor2D;
  const entropy = logp.exp().mul(logp).sum(-1).neg() as tf.Tensor2D;
  return { picked, entropy };
}

const maskedMean = (x: tf.Tensor, mask: tf.Tensor) =>
  x.mul(mask).sum().div(mask.sum().maximum(1)) as tf.Scalar;

/** Token NLL over the imitated records' generated tokens. */
export const sft: LossFn = (logits, batch) => {
  const { picked, entropy } = tokenLogprobs(logits, batch.targets);
  const nll = maskedMean(picked.neg(), batch.nllMask);
  return { loss: nll, metrics: { nll, entropy: maskedMean(entropy, batch.nllMask) } };
};

/**
 * Token-level clipped importance-weighted policy gradient against the behaviour log-probs, with
 * the batch's advantages: -min(ρA, clip(ρ, 1±ε)A) averaged over reinforced tokens.
 */
function clippedSurrogate(picked: tf.Tensor2D, batch: Batch, clipEps: number) {
  const logRatio = picked.sub(batch.behaviour).mul(batch.hasBehaviour); // unknown → ratio 1
  const ratio = logRatio.exp();
  const advantage = batch.advantages; // [B, 1] broadcast over tokens
  const unclipped = ratio.mul(advantage);
  const clipped = ratio.clipByValue(1 - clipEps, 1 + clipEps).mul(advantage);
  const surrogate = tf.minimum(unclipped, clipped).neg();
  const clipFrac = maskedMean(ratio.sub(1).abs().greater(clipEps).toFloat(), batch.pgMask);
  const approxKl = maskedMean(logRatio.neg(), batch.pgMask.mul(batch.hasBehaviour));
  return { pg: maskedMean(surrogate, batch.pgMask), clipFrac, approxKl };
}

/**
 * The M-step: −log π(c|x) of the drawn decisions (one summed log-prob per decision record), the
 * clipped policy gradient on curated rollouts, and λ × NLL of the imitated ones.
 */
export const autocode: LossFn = (logits, batch, options) => {
  const { picked, entropy } = tokenLogprobs(logits, batch.targets);
  const { pg, clipFrac, approxKl } = clippedSurrogate(picked, batch, options.clipEps);
  const nll = maskedMean(picked.neg(), batch.nllMask);
  const decision = picked.neg().mul(batch.decisionMask).sum().div(batch.decisions.maximum(1));
  return {
    loss: decision.add(pg).add(nll.mul(options.lambda)) as tf.Scalar,
    metrics: {
      decision: decision as tf.Scalar,
      pg,
      nll,
      clip_frac: clipFrac,
      approx_kl: approxKl,
      entropy: maskedMean(entropy, batch.pgMask),
    },
  };
};

/** The on-policy RL baseline: the clipped surrogate with group-normalised advantages only. */
export const grpo: LossFn = (logits, batch, options) => {
  const { picked, entropy } = tokenLogprobs(logits, batch.targets);
  const { pg, clipFrac, approxKl } = clippedSurrogate(picked, batch, options.clipEps);
  return {
    loss: pg,
    metrics: {
      pg,
      clip_frac: clipFrac,
      approx_kl: approxKl,
      entropy: maskedMean(entropy, batch.pgMask),
    },
  };
};

/** Losses by name, for `--loss`. */
export const losses: Record<"sft" | "autocode" | "grpo", LossFn> = { sft, autocode, grpo };
