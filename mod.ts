/**
 * tocode: evaluate math language models with tool-integrated reasoning, curate training data by
 * rollout-based reweighting (the E-step of AutoCode's EM method) into DuckDB, and train them with
 * TensorFlow.js (the M-step).
 *
 * The public API, by layer:
 * - typed task definitions: {@linkcode defineTask}, {@linkcode runTask}, {@linkcode parseTaskArgs}
 * - the store: {@linkcode openStore}, {@linkcode RolloutWriter}, {@linkcode exportQuery}
 * - datasets: {@linkcode loadDataset}, {@linkcode selectProblems}, {@linkcode parseProblems}
 *
 * @example
 * ```ts
 * import { parseProblems, selectProblems } from "./mod.ts";
 * const problems = parseProblems('{"id":"1","problem":"2+2?","answer":"4"}', { dataset: "mini" });
 * if (selectProblems(problems, { limit: 1 })[0].answer !== "4") throw new Error("unreachable");
 * ```
 *
 * @module
 */
export * from "./lib/task/mod.ts";
export * from "./lib/store/mod.ts";
export * from "./lib/data/mod.ts";
export * from "./lib/policy/mod.ts";
export * from "./lib/rollout/mod.ts";
export * from "./lib/grade/mod.ts";
export * from "./lib/sandbox/mod.ts";
export * from "./lib/curate/mod.ts";
export * from "./lib/train/mod.ts";
export * from "./lib/report/mod.ts";
