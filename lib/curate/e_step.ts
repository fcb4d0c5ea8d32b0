import { referenceDecision } from "../report/code_selection.ts";
import type { Store } from "../store/store.ts";
import { type ModePrior, modeWeights } from "./mode_weights.ts";
import { type QueryRollouts, type QueryStats, queryStats } from "./query_stats.ts";
import { type Draw, subsample } from "./subsample.ts";

/** Options of {@linkcode curateRun}. */
export interface CurateOptions {
  /** EM iteration the curated set belongs to. */
  iteration: number;
  /** Inverse temperature of s*(c|x); Infinity = argmax. */
  alpha: number;
  /** Where pi(c|x) comes from: the `auto` rollouts (`policy`), or 1/2 (`uniform`). */
  prior: ModePrior;
  /** Keep queries where every rollout scored the same. */
  keepUniform: boolean;
  /**
   * Keep the uniform queries that every rollout solved: under the tie rule they say that plain
   * reasoning is enough (the ones every rollout failed say nothing, and stay dropped).
   */
  keepSolved: boolean;
  /** (query, mode) pairs to draw; Infinity keeps every pair with positive weight. */
  size: number;
  seed: number;
}

/** What one E-step produced. */
export interface CurateSummary {
  queries: number;
  kept: number;
  drawn: number;
  drawnCode: number;
  drawnText: number;
  meanQText: number;
  meanQCode: number;
  /** Share of kept queries whose s*(code|x) > s*(text|x). */
  codeWins: number;
}

/** Reads a run's rollouts grouped per query, in the shape the E-step needs. */
export async function readQueryRollouts(store: Store, runId: string): Promise<QueryRollouts[]> {
  const rows = await store.query<{
    problem_id: string;
    text: number[];
    code: number[];
    auto: boolean[];
  }>(
    `SELECT problem_id,
        list(coalesce(reward, 0) ORDER BY sample_idx) FILTER (WHERE mode = 'text') AS text,
        list(coalesce(reward, 0) ORDER BY sample_idx) FILTER (WHERE mode = 'code') AS code,
        list(coalesce(used_code, false) ORDER BY sample_idx) FILTER (WHERE mode = 'auto') AS auto
     FROM rollouts WHERE run_id = $1 AND error IS NULL
     GROUP BY problem_id ORDER BY problem_id`,
    [runId],
  );
  return rows.map((r) => ({
    problemId: r.problem_id,
    text: r.text ?? [],
    code: r.code ?? [],
    autoUsedCode: r.auto ?? [],
  }));
}

/**
 * The E-step over a run's stored rollouts: Q(x,c) and pi(c|x) per query, weights s*(c|x), drop
 * uniform queries, draw the training set by the weights, and store the per-query statistics and
 * the drawn (query, mode) pairs for this iteration (replacing an earlier E-step of the same run).
 */
export async function curateRun(
  store: Store,
  runId: string,
  options: CurateOptions,
): Promise<CurateSummary> {
  const grouped = (await readQueryRollouts(store, runId)).filter((q) =>
    q.text.length > 0 && q.code.length > 0
  );
  const stats = grouped.map((q) => ({ q, stats: queryStats(q) }));
  const weighted = stats.map(({ q, stats }) => ({
    q,
    stats,
    weights: modeWeights(stats, options.alpha, options.prior),
    reference: referenceDecision({
      text: q.text.map((r) => r > 0),
      code: q.code.map((r) => r > 0),
    }),
    kept: options.keepUniform || !stats.uniform || (options.keepSolved && stats.solved),
  }));
  const kept = weighted.filter((w) => w.kept);
  const draws = subsample(
    kept.map((w) => ({ problemId: w.q.problemId, weights: w.weights })),
    { size: options.size, seed: options.seed },
  );
  await store.transaction(async () => {
    await store.run("DELETE FROM curate_queries WHERE run_id = $1", [runId]);
    await store.run("DELETE FROM curated WHERE run_id = $1", [runId]);
    for (const w of weighted) await insertQuery(store, runId, options.iteration, w);
    for (const d of draws) await insertDraw(store, runId, options.iteration, d);
  });
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : NaN);
  return {
    queries: weighted.length,
    kept: kept.length,
    drawn: draws.length,
    drawnCode: draws.filter((d) => d.mode === "code").length,
    drawnText: draws.filter((d) => d.mode === "text").length,
    meanQText: mean(kept.map((w) => w.stats.qText)),
    meanQCode: mean(kept.map((w) => w.stats.qCode)),
    codeWins: mean(kept.map((w) => (w.weights.code > w.weights.text ? 1 : 0))),
  };
}

async function insertQuery(
  store: Store,
  runId: string,
  iteration: number,
  w: {
    q: QueryRollouts;
    stats: QueryStats;
    weights: { text: number; code: number };
    reference?: string;
    kept: boolean;
  },
): Promise<void> {
  await store.run(
    `INSERT INTO curate_queries VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      runId,
      iteration,
      w.q.problemId,
      w.q.text.length,
      w.q.code.length,
      w.q.autoUsedCode.length,
      w.stats.qText,
      w.stats.qCode,
      w.stats.piCode,
      w.weights.text,
      w.weights.code,
      w.stats.uniform,
      w.reference ?? null,
      w.kept,
    ],
  );
}

async function insertDraw(store: Store, runId: string, iteration: number, d: Draw): Promise<void> {
  await store.run("INSERT INTO curated VALUES ($1, $2, $3, $4)", [
    runId,
    iteration,
    d.problemId,
    d.mode,
  ]);
}
