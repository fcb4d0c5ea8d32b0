/**
 * The embedded EM loop: from a base model, iterate E-step curation and the M-step, against the
 * grpo and sft baselines at the same rollout budget, evaluating after the last iteration (and
 * after every N-th, as the plan asks).
 *
 * @module
 */
export * from "./demo_plan.ts";
export * from "./em_loop.ts";
export * from "./decision_scores.ts";
export * from "./demo_problems.ts";
