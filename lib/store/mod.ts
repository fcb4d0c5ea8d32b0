/**
 * The store: one DuckDB file with a versioned schema, holding runs, problems, rollouts and
 * metrics. Rollouts are written through the Appender in committed batches keyed by
 * (run, problem, mode, sample index), so runs resume and a killed process loses no committed row.
 *
 * @example
 * ```ts
 * import { beginRun, openStore, RolloutWriter } from "./mod.ts";
 * const store = await openStore(":memory:");
 * const run = await beginRun(store, "eval", { id: "demo" });
 * const writer = await RolloutWriter.open(store, run.id);
 * await writer.write({ problem_id: "p1", mode: "auto", sample_idx: 0, correct: true });
 * await writer.close();
 * const [row] = await store.query<{ n: number }>("SELECT count(*)::INT AS n FROM rollouts");
 * if (row.n !== 1) throw new Error("row lost");
 * store.close();
 * ```
 *
 * @module
 */
export * from "./store.ts";
export * from "./migrations.ts";
export * from "./runs.ts";
export * from "./rollouts.ts";
export * from "./problems.ts";
export * from "./metrics.ts";
export * from "./export.ts";
export * from "./provenance.ts";
