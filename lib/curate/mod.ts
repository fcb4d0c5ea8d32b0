/**
 * The E-step of AutoCode's EM method: Q(x,c) and pi(c|x) from rollouts, the weights
 * s*(c|x) = exp(alpha · pi(c|x) · Q(x,c)) / Z(x), dropping uniform queries, seeded subsampling,
 * and the per-iteration tables and view (`curated_rollouts`) the trainer reads.
 *
 * @module
 */
export * from "./query_stats.ts";
export * from "./mode_weights.ts";
export * from "./subsample.ts";
export * from "./e_step.ts";
export * from "./exports/mod.ts";
