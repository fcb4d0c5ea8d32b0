import { join } from "node:path";
import { FLOAT, INTEGER, LIST, listValue } from "@duckdb/node-api";
import { appendRollouts, openStore, type RolloutRow, type Store } from "../../lib/store/mod.ts";
import { defineBench } from "./harness.ts";

const BATCH = 5000;
/** Completion tokens of a curation row: each has an id and a behaviour log-prob. */
const TOKENS = 400;

/**
 * A rollout of realistic size: ~2 KB of prompt + completion text and turns; with `tokens`, also
 * the completion's token ids and log-probs, as the E-step writes them for the M-step.
 */
function makeRow(i: number, tokens: boolean): RolloutRow {
  const completion = `Let's compute step by step. ${i} `.padEnd(1500, "reasoning ");
  return {
    run_id: "bench",
    problem_id: `math500-${i % 500}`,
    mode: i % 2 ? "code" : "text",
    sample_idx: Math.floor(i / 500),
    dataset: "math500",
    prompt: "Solve the problem and put the answer in \\boxed{}.".padEnd(500, " "),
    completion,
    turns: [{ kind: "text", text: "..." }],
    used_code: i % 2 === 1,
    code_calls: i % 2,
    answer: String(i),
    correct: i % 3 === 0,
    reward: i % 3 === 0 ? 1 : 0,
    prompt_tokens: 120,
    completion_tokens: TOKENS,
    latency_ms: 123.4,
    ...(tokens
      ? {
        token_ids: Array.from({ length: TOKENS }, (_, t) => (i + t) % 101),
        logprobs: Array.from({ length: TOKENS }, (_, t) => -((i + t) % 97) / 10),
      }
      : {}),
  };
}

async function insertRowByRow(store: Store, rows: RolloutRow[]): Promise<void> {
  const statement = await store.connection.prepare(
    `INSERT INTO rollouts (run_id, problem_id, mode, sample_idx, dataset, prompt, completion, turns,
      used_code, code_calls, answer, correct, reward, prompt_tokens, completion_tokens, token_ids,
      logprobs, latency_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
  );
  for (const r of rows) {
    statement.bind([
      r.run_id,
      r.problem_id,
      r.mode,
      r.sample_idx,
      r.dataset!,
      r.prompt!,
      r.completion!,
      JSON.stringify(r.turns),
      r.used_code!,
      r.code_calls!,
      r.answer!,
      r.correct!,
      r.reward!,
      r.prompt_tokens!,
      r.completion_tokens!,
      null,
      null,
      r.latency_ms!,
    ]);
    // Typed explicitly: a list's type is otherwise guessed from its first element.
    if (r.token_ids) statement.bindList(16, listValue(r.token_ids), LIST(INTEGER));
    if (r.logprobs) statement.bindList(17, listValue(r.logprobs), LIST(FLOAT));
    await statement.run();
  }
  statement.destroySync();
}

/**
 * DuckDB's own write path with no JS per row: each batch copied by one INSERT … SELECT from the
 * file the Appender wrote. No writer from JS can beat it; it is the ceiling the Appender is read
 * against.
 */
function copyFrom(source: string) {
  let copied = 0;
  return async (store: Store, rows: RolloutRow[]) => {
    if (copied === 0) await store.run(`ATTACH '${source}' AS source (READ_ONLY)`);
    await store.run(
      `INSERT INTO rollouts SELECT * FROM source.rollouts WHERE rowid >= $1 AND rowid < $2`,
      [copied, copied + rows.length],
    );
    copied += rows.length;
  };
}

/** Rows/s of a writer over `rows` into a fresh store file, and the seconds its close took. */
async function timeWriter(
  path: string,
  rows: RolloutRow[],
  write: (store: Store, rows: RolloutRow[]) => Promise<void>,
) {
  const store = await openStore(path);
  let start = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) await write(store, rows.slice(i, i + BATCH));
  const seconds = (performance.now() - start) / 1000;
  start = performance.now();
  store.close();
  return { seconds, rate: rows.length / seconds, closeSeconds: (performance.now() - start) / 1000 };
}

export default defineBench({
  name: "store",
  description: "rollout rows/s into a DuckDB file: Appender batches vs row-by-row INSERT",
  async run() {
    const dir = await Deno.makeTempDir({ prefix: "tocode-bench-store-" });
    const cases = [
      { label: "text rows", tokens: false, appended: 100_000, inserted: 5_000 },
      {
        label: `rows with ${TOKENS} token ids + log-probs`,
        tokens: true,
        appended: 20_000,
        inserted: 500,
      },
    ];
    const table: (string | number)[][] = [["rows", "writer", "rows", "seconds", "rows/s"]];
    const figures: Record<string, number> = {};
    const notes: string[] = [];
    for (const [k, c] of cases.entries()) {
      const rows = Array.from({ length: c.appended }, (_, i) => makeRow(i, c.tokens));
      const bytes = new TextEncoder().encode(JSON.stringify(rows[0])).length;
      const appended = join(dir, `append${k}.duckdb`);
      const a = await timeWriter(appended, rows, appendRollouts);
      const e = await timeWriter(join(dir, `copy${k}.duckdb`), rows, copyFrom(appended));
      const b = await timeWriter(
        join(dir, `insert${k}.duckdb`),
        rows.slice(0, c.inserted),
        insertRowByRow,
      );
      table.push(
        [c.label, `Appender, batches of ${BATCH}`, c.appended, a.seconds, Math.round(a.rate)],
        [c.label, "INSERT row by row (baseline)", c.inserted, b.seconds, Math.round(b.rate)],
        [c.label, "DuckDB INSERT … SELECT (ceiling)", c.appended, e.seconds, Math.round(e.rate)],
      );
      notes.push(
        `${c.label}: ≈ ${bytes} bytes as JSON; closing the appender's file (final checkpoint) took ${
          a.closeSeconds.toFixed(2)
        } s`,
      );
      const key = c.tokens ? "token_rows" : "text_rows";
      figures[`${key}_appender_rows_per_s`] = Math.round(a.rate);
      figures[`${key}_insert_rows_per_s`] = Math.round(b.rate);
      figures[`${key}_ratio`] = Number((a.rate / b.rate).toFixed(1));
      figures[`${key}_engine_copy_rows_per_s`] = Math.round(e.rate);
      figures[`${key}_share_of_engine`] = Number((a.rate / e.rate).toFixed(2));
      figures[`${key}_bytes`] = bytes;
    }
    await Deno.remove(dir, { recursive: true });
    notes.push(
      "each batch is a committed transaction in a file; the ceiling copies the Appender's rows " +
        "file to file inside DuckDB, with no JS per row",
    );
    return { table, notes, figures };
  },
});
