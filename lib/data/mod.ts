/**
 * Problems and datasets: the Problem schema, a loader that resolves names against a registry it is
 * handed (datasets/mod.ts holds the bundled one),
 * an all-or-nothing JSONL loader with line-numbered errors, data folder resolution with a
 * sha256-checked download, and selection (`--filter`, `--shuffle`, `--offset`, `--limit`).
 *
 * @example
 * ```ts
 * import { parseProblems, selectProblems } from "./mod.ts";
 * const problems = parseProblems('{"id":"a","problem":"1+1?","answer":"2","level":1}\n', {
 *   dataset: "tiny",
 * });
 * if (selectProblems(problems, { filter: ["level=1"] }).length !== 1) throw new Error("filter");
 * ```
 *
 * @module
 */
export * from "./problem.ts";
export * from "./dataset.ts";
export * from "./parse_jsonl.ts";
export * from "./data_dir.ts";
export * from "./download.ts";
export * from "./load_dataset.ts";
export * from "./select.ts";
export * from "./seeded_random.ts";
export * from "./selection_args.ts";
export * from "./synthetic/mod.ts";
export * from "./read_parquet.ts";
