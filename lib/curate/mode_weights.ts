import type { QueryStats } from "./query_stats.ts";

/** s*(c|x) for the two modes of one query; they sum to 1. */
export interface ModeWeights {
  text: number;
  code: number;
}

/**
 * Where the E-step's pi(c|x) comes from: the policy's own `auto` rollouts (the paper), or 1/2 for
 * both modes, so that s*(c|x) follows Q(x, c) alone (docs/method.md, "The prior").
 */
export const MODE_PRIORS = ["policy", "uniform"] as const;

/** A source of pi(c|x) in s*(c|x). */
export type ModePrior = typeof MODE_PRIORS[number];

/**
 * The E-step's target: s*(c|x) = exp(alpha · pi(c|x) · Q(x,c)) / Z(x), with pi(text|x) =
 * 1 - pi(code|x) (both 1/2 under the `uniform` prior). alpha = Infinity is the argmax (ties go to
 * text: plain reasoning unless code is strictly better); alpha = 0 is uniform.
 *
 * @example
 * ```ts
 * import { modeWeights } from "./mode_weights.ts";
 * const stats = { problemId: "x", qText: 0.25, qCode: 1, piCode: 0.5, uniform: false, solved: false };
 * if (modeWeights(stats, Infinity, "policy").code !== 1) throw new Error("code is strictly better");
 * ```
 */
export function modeWeights(
  stats: QueryStats,
  alpha: number,
  prior: ModePrior,
): ModeWeights {
  if (!(alpha >= 0)) throw new RangeError(`Cannot weight modes: alpha must be >= 0, got ${alpha}`);
  const piCode = prior === "uniform" ? 0.5 : stats.piCode;
  const scoreText = (1 - piCode) * stats.qText;
  const scoreCode = piCode * stats.qCode;
  if (alpha === Infinity) {
    return scoreCode > scoreText ? { text: 0, code: 1 } : { text: 1, code: 0 };
  }
  const top = Math.max(scoreText, scoreCode);
  const text = Math.exp(alpha * (scoreText - top));
  const code = Math.exp(alpha * (scoreCode - top));
  return { text: text / (text + code), code: code / (text + code) };
}
