import type { Store } from "../store/store.ts";

/** One line of a run's per-sample log (lm-eval's `--log_samples`, one JSON object per sample). */
export interface SampleLogRow {
  problem_id: string;
  dataset: string | null;
  mode: string;
  sample_idx: number;
  gold: string | null;
  /** The model's whole completion (generated text with the tool output blocks). */
  prediction: string | null;
  /** The answer the grader extracted from the completion. */
  extracted: string | null;
  correct: boolean | null;
  finish_reason: string | null;
  code_calls: number | null;
  error: string | null;
  error_kind: string | null;
}

/** Writes every sample of a run to a JSONL file, in problem and sample order; returns the count. */
export async function writeSampleLog(store: Store, runId: string, path: string): Promise<number> {
  const rows = await store.query<SampleLogRow>(
    `SELECT r.problem_id, coalesce(r.dataset, p.dataset) AS dataset, r.mode, r.sample_idx,
       p.answer AS gold, r.completion AS prediction, r.answer AS extracted, r.correct,
       r.finish_reason, r.code_calls, r.error, r.error_kind
     FROM rollouts r LEFT JOIN problems p ON p.id = r.problem_id
     WHERE r.run_id = $1 ORDER BY r.problem_id, r.mode, r.sample_idx`,
    [runId],
  );
  await Deno.writeTextFile(path, rows.map((r) => JSON.stringify(r) + "\n").join(""));
  return rows.length;
}
