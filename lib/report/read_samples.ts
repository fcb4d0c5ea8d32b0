import type { Store } from "../store/store.ts";
import type { SelectionEvidence } from "./code_selection.ts";
import type { ScoredSample } from "./summarize.ts";

/** Options of {@linkcode readScoredSamples}. */
export interface ReadSamplesOptions {
  /** Only rollouts of this mode (eval's main mode); all when absent. */
  mode?: string;
  /** Turns an extracted answer into its voting key (the grader's normalisation). */
  answerKey?: (answer: string) => string;
}

/** Reads a run's rollouts joined with their problems, as the summaries need them. */
export async function readScoredSamples(
  store: Store,
  runId: string,
  options: ReadSamplesOptions = {},
): Promise<ScoredSample[]> {
  const rows = await store.query<{
    problem_id: string;
    dataset: string | null;
    subject: string | null;
    level: string | null;
    sample_idx: number;
    correct: boolean | null;
    answer: string | null;
    used_code: boolean | null;
    code_calls: number | null;
    failed_calls: number | null;
    completion_tokens: number | null;
    latency_ms: number | null;
    error: string | null;
    finish_reason: string | null;
  }>(
    `SELECT r.problem_id, coalesce(r.dataset, p.dataset) AS dataset,
        json_extract_string(p.metadata, '$.subject') AS subject,
        json_extract_string(p.metadata, '$.level') AS level,
        r.sample_idx, r.correct, r.answer, r.used_code, r.code_calls,
        (SELECT count(*) FROM unnest(CAST(r.turns AS JSON[])) AS t(turn)
          WHERE json_extract_string(turn, '$.kind') = 'code'
            AND json_extract_string(turn, '$.status') <> 'ok')::INT AS failed_calls,
        r.completion_tokens, r.latency_ms, r.error, r.finish_reason
     FROM rollouts r LEFT JOIN problems p ON p.id = r.problem_id
     WHERE r.run_id = $1 AND ($2::VARCHAR IS NULL OR r.mode = $2)
     ORDER BY r.problem_id, r.sample_idx`,
    [runId, options.mode ?? null],
  );
  const key = options.answerKey ?? ((a: string) => a.trim());
  return rows.map((r) => ({
    problemId: r.problem_id,
    dataset: r.dataset ?? "unknown",
    subject: r.subject,
    level: r.level === null ? null : Number.isNaN(Number(r.level)) ? r.level : Number(r.level),
    sampleIdx: r.sample_idx,
    correct: r.correct,
    answerKey: r.answer === null ? null : key(r.answer),
    usedCode: r.used_code ?? false,
    codeCalls: r.code_calls ?? 0,
    failedCalls: r.failed_calls ?? 0,
    completionTokens: r.completion_tokens ?? 0,
    latencyMs: r.latency_ms ?? 0,
    error: r.error,
    finishReason: r.finish_reason,
  }));
}

/** Reads, per problem of a run, the evidence for code-selection accuracy. */
export async function readSelectionEvidence(
  store: Store,
  runId: string,
): Promise<(SelectionEvidence & { problemId: string })[]> {
  const rows = await store.query<{
    problem_id: string;
    text: boolean[] | null;
    code: boolean[] | null;
    auto: boolean[] | null;
  }>(
    `SELECT problem_id,
        list(coalesce(correct, false)) FILTER (WHERE mode = 'text') AS text,
        list(coalesce(correct, false)) FILTER (WHERE mode = 'code') AS code,
        list(coalesce(used_code, false)) FILTER (WHERE mode = 'auto') AS auto
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
