import type { Grader } from "../grade/grader.ts";
import type { Store } from "../store/store.ts";

/**
 * Re-grades the stored completions of a run with the current grader, without calling the model:
 * updates each row's extracted answer, verdict and reward in one transaction, and says how many
 * verdicts changed. Rows that failed before producing a completion keep their error.
 */
export async function rescoreRun(
  store: Store,
  runId: string,
  options: { grader: Grader; signal?: AbortSignal },
): Promise<{ total: number; changed: number }> {
  const rows = await store.query<{
    problem_id: string;
    mode: string;
    sample_idx: number;
    completion: string;
    correct: boolean | null;
    gold: string | null;
  }>(
    `SELECT r.problem_id, r.mode, r.sample_idx, r.completion, r.correct, p.answer AS gold
     FROM rollouts r LEFT JOIN problems p ON p.id = r.problem_id
     WHERE r.run_id = $1 AND r.completion IS NOT NULL AND r.error IS NULL`,
    [runId],
  );
  if (rows.length === 0) {
    throw new Error(`Cannot rescore run "${runId}": it has no stored completions (${store.path})`);
  }
  const updates: { key: typeof rows[number]; answer: string | null; correct: boolean }[] = [];
  for (const row of rows) {
    options.signal?.throwIfAborted();
    if (row.gold === null) continue;
    const verdict = await options.grader.gradeCompletion(row.gold, row.completion);
    updates.push({ key: row, answer: verdict.answer, correct: verdict.equal });
  }
  await store.transaction(async () => {
    for (const u of updates) {
      await store.run(
        `UPDATE rollouts SET answer = $1, correct = $2, reward = $3
         WHERE run_id = $4 AND problem_id = $5 AND mode = $6 AND sample_idx = $7`,
        [
          u.answer,
          u.correct,
          u.correct ? 1 : 0,
          runId,
          u.key.problem_id,
          u.key.mode,
          u.key.sample_idx,
        ],
      );
    }
  });
  return {
    total: updates.length,
    changed: updates.filter((u) => (u.key.correct ?? false) !== u.correct).length,
  };
}
