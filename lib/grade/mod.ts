/**
 * Answer extraction and math-equivalence grading, after Math-Verify (docs/grading.md): answers
 * are extracted from free text on both sides (a bare answer whole; else the last `\boxed{}`,
 * answer phrases, then the last formula or number), normalised alike, and compared by a cascade
 * (exact → exact rationals → float evaluation → computer algebra) through tuples, sets,
 * intervals and unions, matrices, equations and inequalities, with decimals compared at the
 * gold's precision, and a time limit that never blocks the main thread.
 *
 * @module
 */
export * from "./extract.ts";
export * from "./bare_answer.ts";
export * from "./normalize.ts";
export * from "./rational.ts";
export * from "./precision.ts";
export * from "./numeric.ts";
export * from "./structure.ts";
export * from "./equivalent.ts";
export * from "./same_answer.ts";
export * from "./grader.ts";
export { symbolicEqual } from "./symbolic.ts";
