import { seededRandom } from "../data/seeded_random.ts";
import type { ModeWeights } from "./mode_weights.ts";

/** A query with its mode weights, a candidate for the training set. */
export interface WeightedQuery {
  problemId: string;
  weights: ModeWeights;
}

/** One (query, mode) pair drawn into the training set. */
export interface Draw {
  problemId: string;
  mode: "text" | "code";
}

/** Options of {@linkcode subsample}. */
export interface SubsampleOptions {
  /** Number of (query, mode) pairs to draw; all with positive weight when larger. */
  size: number;
  seed: number;
}

/**
 * Draws (query, mode) pairs without replacement with probability proportional to s*(c|x), so
 * every query has the same total mass and a mode with weight 0 is never drawn. Uses
 * Efraimidis–Spirakis keys u^(1/w) from a seeded generator: the same seed gives the same set.
 */
export function subsample(queries: readonly WeightedQuery[], options: SubsampleOptions): Draw[] {
  const random = seededRandom(options.seed);
  const keyed: { draw: Draw; key: number }[] = [];
  for (const q of queries) {
    for (const mode of ["text", "code"] as const) {
      const w = q.weights[mode];
      const u = random.next();
      if (w > 0) keyed.push({ draw: { problemId: q.problemId, mode }, key: Math.log(u) / w });
    }
  }
  keyed.sort((a, b) => b.key - a.key);
  return keyed.slice(0, options.size).map((k) => k.draw);
}
