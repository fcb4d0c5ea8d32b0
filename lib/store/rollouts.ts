import { DuckDBTimestampValue, listValue } from "@duckdb/node-api";
import { appendChunks } from "./_append_chunks.ts";
import type { Store } from "./store.ts";

/** One step of a trajectory: generated text, a code cell, or the sandbox's output. */
export interface Turn {
  kind: "text" | "code" | "output";
  text: string;
  language?: string;
  status?: string;
  stdout?: string;
  stderr?: string;
  duration_ms?: number;
  /** Tokens the model generated in a text turn (to split token ids and log-probs by turn). */
  tokens?: number;
}

/** One finished sample, as written to the rollouts table. */
export interface RolloutRow {
  run_id: string;
  problem_id: string;
  mode: string;
  sample_idx: number;
  dataset?: string | null;
  prompt?: string | null;
  completion?: string | null;
  turns?: Turn[] | null;
  used_code?: boolean | null;
  code_calls?: number | null;
  answer?: string | null;
  correct?: boolean | null;
  reward?: number | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  token_ids?: number[] | null;
  logprobs?: number[] | null;
  latency_ms?: number | null;
  error?: string | null;
  /** stop | eos | length | budget | call_limit; null for a failed sample. */
  finish_reason?: string | null;
  /** What failed: server, sandbox, grader, prompt_too_long or other. */
  error_kind?: ErrorKind | null;
  /** The chat messages of a chat template's prompt. */
  prompt_messages?: { role: string; content: string }[] | null;
  /** The prompt's token ids, as the model read them. */
  prompt_ids?: number[] | null;
  /** Every token after the prompt: sampled ones and inserted tool output, in order. */
  response_ids?: number[] | null;
  /** Per response token: 1 sampled by the policy, 0 inserted (tool output). */
  response_mask?: number[] | null;
  /** Per response token: its behaviour log-prob at temperature 1; null where inserted. */
  response_logprobs?: (number | null)[] | null;
  /** Whether the ids are exactly what the model read and sampled. */
  ids_exact?: boolean | null;
  /** The stop string that ended the last generation, when one did. */
  stop_reason?: string | null;
}

/**
 * What made a sample fail: the model server or engine, the sandbox, the grader, a prompt longer
 * than the model's context (never retried: it fails the same way again), or something else.
 */
export type ErrorKind = "server" | "sandbox" | "grader" | "prompt_too_long" | "other";

/** The key that makes a sample unique within the store. */
export function rolloutKey(row: Pick<RolloutRow, "problem_id" | "mode" | "sample_idx">): string {
  return `${row.problem_id}\u0000${row.mode}\u0000${row.sample_idx}`;
}

/** Options of {@linkcode RolloutWriter.open}. */
export interface RolloutWriterOptions {
  /** Rows buffered before a flush commits them. */
  batchRows?: number;
  /** A flush also happens when this much time passed since the last one. */
  flushEveryMs?: number;
}

/**
 * Appends rollouts of one run through DuckDB's Appender. Each flush commits a batch in one
 * transaction, so a killed process leaves every flushed row and no partial one. Knows the keys
 * already stored for the run, so a resumed run can skip them and never writes a duplicate.
 */
export class RolloutWriter {
  private buffer: RolloutRow[] = [];
  private lastFlush = performance.now();
  private flushing: Promise<void> = Promise.resolve();
  /** Time spent committing batches, for the benchmarks' write share. */
  readonly stats = { flushes: 0, rows: 0, ms: 0 };

  private constructor(
    private readonly store: Store,
    readonly runId: string,
    private readonly done: Set<string>,
    private readonly options: Required<RolloutWriterOptions>,
  ) {}

  /** Opens a writer for `runId`, loading the keys already stored for it. */
  static async open(
    store: Store,
    runId: string,
    options: RolloutWriterOptions = {},
  ): Promise<RolloutWriter> {
    const rows = await store.query<{ problem_id: string; mode: string; sample_idx: number }>(
      "SELECT problem_id, mode, sample_idx FROM rollouts WHERE run_id = $1",
      [runId],
    );
    return new RolloutWriter(store, runId, new Set(rows.map(rolloutKey)), {
      batchRows: options.batchRows ?? 256,
      flushEveryMs: options.flushEveryMs ?? 2000,
    });
  }

  /** Whether this sample is already stored (or buffered) for the run. */
  has(key: Pick<RolloutRow, "problem_id" | "mode" | "sample_idx">): boolean {
    return this.done.has(rolloutKey(key));
  }

  /** Number of samples stored or buffered for the run. */
  get size(): number {
    return this.done.size;
  }

  /** Buffers one finished sample; flushes when the batch is full or old enough. */
  async write(row: Omit<RolloutRow, "run_id">): Promise<void> {
    const key = rolloutKey(row);
    if (this.done.has(key)) return;
    this.done.add(key);
    this.buffer.push({ ...row, run_id: this.runId });
    const due = this.buffer.length >= this.options.batchRows ||
      performance.now() - this.lastFlush >= this.options.flushEveryMs;
    if (due) await this.flush();
  }

  /** Commits every buffered row. */
  flush(): Promise<void> {
    const rows = this.buffer;
    this.buffer = [];
    this.lastFlush = performance.now();
    this.flushing = this.flushing.then(async () => {
      const started = performance.now();
      await appendRollouts(this.store, rows);
      this.stats.ms += performance.now() - started;
      this.stats.flushes++;
      this.stats.rows += rows.length;
    });
    return this.flushing;
  }

  /** Flushes what is left; the writer can not be used afterwards. */
  async close(): Promise<void> {
    await this.flush();
  }
}

/**
 * Deletes a run's failed samples of the given problems and modes, so a resumed pass runs them
 * again; a prompt too long for the model is kept (it would fail the same way). Returns how many.
 */
export async function deleteFailedRollouts(
  store: Store,
  runId: string,
  scope: { problemIds: readonly string[]; modes: readonly string[] },
): Promise<number> {
  const where = `run_id = $1 AND error IS NOT NULL
    AND coalesce(error_kind, '') <> 'prompt_too_long'
    AND list_contains($2::VARCHAR[], problem_id) AND list_contains($3::VARCHAR[], mode)`;
  const params = [runId, listValue([...scope.problemIds]), listValue([...scope.modes])];
  const [{ n }] = await store.query<{ n: number }>(
    `SELECT count(*)::INT AS n FROM rollouts WHERE ${where}`,
    params,
  );
  if (n > 0) await store.run(`DELETE FROM rollouts WHERE ${where}`, params);
  return n;
}

/** Appends rows to the rollouts table through one Appender, committed as one batch. */
export async function appendRollouts(store: Store, rows: RolloutRow[]): Promise<void> {
  if (rows.length === 0) return;
  // created_at as its column default would give it: DuckDB's current time, as a TIMESTAMP.
  const [{ micros }] = await store.query<{ micros: string }>(
    "SELECT epoch_us(current_timestamp::TIMESTAMP) AS micros",
  );
  const createdAt = new DuckDBTimestampValue(BigInt(micros));
  await appendChunks(store, rows, {
    table: "rollouts",
    columns: [
      (r) => r.run_id,
      (r) => r.problem_id,
      (r) => r.mode,
      (r) => r.sample_idx,
      (r) => r.dataset ?? null,
      (r) => r.prompt ?? null,
      (r) => r.completion ?? null,
      (r) => (r.turns == null ? null : JSON.stringify(r.turns)),
      (r) => r.used_code ?? null,
      (r) => r.code_calls ?? null,
      (r) => r.answer ?? null,
      (r) => r.correct ?? null,
      (r) => r.reward ?? null,
      (r) => r.prompt_tokens ?? null,
      (r) => r.completion_tokens ?? null,
      (r) => (r.token_ids == null ? null : listValue(r.token_ids)),
      (r) => (r.logprobs == null ? null : listValue(r.logprobs)),
      (r) => r.latency_ms ?? null,
      (r) => r.error ?? null,
      () => createdAt,
      (r) => r.finish_reason ?? null,
      (r) => r.error_kind ?? null,
      (r) => (r.prompt_messages == null ? null : JSON.stringify(r.prompt_messages)),
      (r) => (r.prompt_ids == null ? null : listValue(r.prompt_ids)),
      (r) => (r.response_ids == null ? null : listValue(r.response_ids)),
      (r) => (r.response_mask == null ? null : listValue(r.response_mask)),
      (r) => (r.response_logprobs == null ? null : listValue(r.response_logprobs)),
      (r) => r.ids_exact ?? null,
      (r) => r.stop_reason ?? null,
    ],
  });
}
