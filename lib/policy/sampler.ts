import type { SeededRandom } from "../data/seeded_random.ts";

/** Sampling knobs of {@linkcode sampleToken}. */
export interface SampleOptions {
  /** 0 = greedy (argmax). */
  temperature: number;
  /** Keep the smallest set of tokens whose mass reaches topP (1 = all). */
  topP: number;
  /** Keep the topK most likely tokens (0 = all). */
  topK: number;
  /** Also compute the sampled token's log-prob under the unmodified distribution. */
  logprob: boolean;
}

/** A sampled token and, when asked, its log-prob under the model (temperature 1, no cuts). */
export interface Sampled {
  token: number;
  logprob: number;
}

/**
 * Draws the next token from one row of logits: temperature, then top-k, then top-p, then a
 * draw from the seeded generator (none for greedy). Allocation-free on the greedy path.
 *
 * @example
 * ```ts
 * import { seededRandom } from "../data/seeded_random.ts";
 * import { sampleToken } from "./sampler.ts";
 * const logits = new Float32Array([0, 5, 1]);
 * const s = sampleToken(logits, { temperature: 0, topP: 1, topK: 0, logprob: true }, seededRandom(1));
 * if (s.token !== 1 || !(s.logprob < 0)) throw new Error("greedy failed");
 * ```
 */
export function sampleToken(
  logits: Float32Array,
  options: SampleOptions,
  random: SeededRandom,
): Sampled {
  const v = logits.length;
  let max = -Infinity;
  let argmax = 0;
  for (let i = 0; i < v; i++) {
    if (logits[i] > max) {
      max = logits[i];
      argmax = i;
    }
  }
  let token = argmax;
  if (options.temperature > 0) token = draw(logits, max, options, random);
  let logprob = 0;
  if (options.logprob) {
    let sum = 0;
    for (let i = 0; i < v; i++) sum += Math.exp(logits[i] - max);
    logprob = logits[token] - max - Math.log(sum);
  }
  return { token, logprob };
}

function draw(logits: Float32Array, max: number, options: SampleOptions, random: SeededRandom) {
  const v = logits.length;
  const inv = 1 / options.temperature;
  const probs = new Float64Array(v);
  let sum = 0;
  for (let i = 0; i < v; i++) sum += probs[i] = Math.exp((logits[i] - max) * inv);
  const cutK = options.topK > 0 && options.topK < v;
  if (!cutK && options.topP >= 1) {
    let r = random.next() * sum;
    for (let i = 0; i < v; i++) {
      r -= probs[i];
      if (r < 0) return i;
    }
    return lastNonZero(probs);
  }
  // Only tokens that can survive the cuts need sorting; drop the negligible tail first.
  let candidates: number[] = [];
  const floor = sum * 1e-12;
  for (let i = 0; i < v; i++) if (probs[i] > floor) candidates.push(i);
  candidates.sort((a, b) => probs[b] - probs[a] || a - b);
  if (cutK) candidates = candidates.slice(0, options.topK);
  let kept = 0;
  for (const i of candidates) kept += probs[i];
  if (options.topP < 1) {
    const target = kept * options.topP;
    let mass = 0;
    let end = 0;
    while (end < candidates.length) {
      mass += probs[candidates[end++]];
      if (mass >= target) break;
    }
    candidates = candidates.slice(0, end);
    kept = mass;
  }
  let r = random.next() * kept;
  for (const i of candidates) {
    r -= probs[i];
    if (r < 0) return i;
  }
  return candidates[candidates.length - 1];
}

function lastNonZero(probs: Float64Array): number {
  for (let i = probs.length - 1; i >= 0; i--) if (probs[i] > 0) return i;
  return 0;
}
