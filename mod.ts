/**
 * tocode: evaluate math language models with tool-integrated reasoning, curate training data by
 * rollout-based reweighting (the E-step of AutoCode's EM method) into DuckDB, and train them with
 * TensorFlow.js (the M-step).
 *
 * The public API, by layer:
 * - typed task definitions: {@linkcode defineTask}, {@linkcode runTask}, {@linkcode parseTaskArgs}
 * - the store: {@linkcode openStore}, {@linkcode RolloutWriter}, {@linkcode exportQuery}
 * - problems: {@linkcode loadDatasetFrom} (datasets/mod.ts binds the bundled registry as
 *   `loadDataset`), {@linkcode selectProblems}, {@linkcode parseProblems}
 * - policies: {@linkcode loadPolicy}, {@linkcode createOnnxPolicy}, {@linkcode createOpenAIPolicy},
 *   {@linkcode servePolicy}, {@linkcode parseModelSpec}, {@linkcode loadTokenizer}
 * - rollouts: {@linkcode openRolloutTools}, {@linkcode rolloutPass}, {@linkcode runTrajectory},
 *   {@linkcode templates}, {@linkcode rolloutSettings}, {@linkcode rolloutPresets}
 * - grading: {@linkcode createGrader}, {@linkcode isEquivalent}, {@linkcode extractAnswer}
 * - the sandbox: {@linkcode createSandbox}, {@linkcode languages}
 * - the E-step: {@linkcode curateRun}; the M-step: {@linkcode train}, {@linkcode encodeRecord}
 * - reports: {@linkcode evalSummary}, {@linkcode summarize}, {@linkcode buildReport}
 *
 * @example Grade a completion against a gold answer
 * ```ts
 * import { createGrader } from "./mod.ts";
 * const grader = createGrader();
 * const verdict = await grader.gradeCompletion("\\frac{1}{2}", "So the answer is $\\boxed{0.5}$.");
 * await grader.close();
 * if (!verdict.equal) throw new Error("1/2 and 0.5 are equal");
 * ```
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
