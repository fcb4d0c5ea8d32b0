/**
 * Answer extraction and math-equivalence grading: the last `\boxed{}` (or "answer is", or the
 * answer after the last code output), normalisation applied to gold and prediction alike, and an
 * equivalence cascade (exact → exact rationals → float evaluation → computer algebra) through
 * tuples, sets, intervals, matrices and relations, with a time limit that never blocks the main
 * thread.
 *
 * @module
 */
export * from "./extract.ts";
export * from "./normalize.ts";
export * from "./rational.ts";
export * from "./numeric.ts";
export * from "./structure.ts";
export * from "./equivalent.ts";
export * from "./grader.ts";
export { symbolicEqual } from "./symbolic.ts";
