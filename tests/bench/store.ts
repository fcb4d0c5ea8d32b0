import { join } from "node:path";
import { appendRollouts, openStore, type RolloutRow, type Store } from "../../lib/store/mod.ts";
import { defineBench } from "./harness.ts";

const BATCH = 5000;

/** A rollout of realistic size: ~2 KB of prompt + completion text, turns, token ids, log-probs. */
function makeRow(i: number): RolloutRow {
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
    completion_tokens: 400,
    latency_ms: 123.4,
  };
}

async function insertRowByRow(store: Store, rows: RolloutRow[]): Promise<void> {
  const statement = await store.connection.prepare(
    `INSERT INTO rollouts (run_id, problem_id, mode, sample_idx, dataset, prompt, completion, turns,
      used_code, code_calls, answer, correct, reward, prompt_tokens, completion_tokens, latency_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
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
      r.latency_ms!,
    ]);
    await statement.run();
  }
  statement.destroySync();
}

export default defineBench({
  name: "store",
  description: "rollout rows/s into a DuckDB file: Appender batches vs row-by-row INSERT",
  async run() {
    const dir = await Deno.makeTempDir({ prefix: "tocode-bench-store-" });
    const appenderRows = Array.from({ length: 100_000 }, (_, i) => makeRow(i));
    const insertRows = Array.from({ length: 5_000 }, (_, i) => makeRow(i));
    const rowBytes = new TextEncoder().encode(JSON.stringify(appenderRows[0])).length;

    const a = await openStore(join(dir, "appender.duckdb"));
    let start = performance.now();
    for (let i = 0; i < appenderRows.length; i += BATCH) {
      await appendRollouts(a, appenderRows.slice(i, i + BATCH));
    }
    const appenderSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    a.close();
    const closeSeconds = (performance.now() - start) / 1000;

    const b = await openStore(join(dir, "insert.duckdb"));
    start = performance.now();
    await insertRowByRow(b, insertRows);
    const insertSeconds = (performance.now() - start) / 1000;
    b.close();
    await Deno.remove(dir, { recursive: true });

    const appenderRate = appenderRows.length / appenderSeconds;
    const insertRate = insertRows.length / insertSeconds;
    return {
      table: [
        ["writer", "rows", "seconds", "rows/s"],
        [
          `Appender, batches of ${BATCH}`,
          appenderRows.length,
          appenderSeconds,
          Math.round(appenderRate),
        ],
        ["INSERT row by row (baseline)", insertRows.length, insertSeconds, Math.round(insertRate)],
      ],
      notes: [
        `row size ≈ ${rowBytes} bytes as JSON; each batch is a committed transaction in a file`,
        `closing the appender's file (final checkpoint) took ${closeSeconds.toFixed(2)} s`,
      ],
      figures: {
        appender_rows_per_s: Math.round(appenderRate),
        insert_rows_per_s: Math.round(insertRate),
        ratio: Number((appenderRate / insertRate).toFixed(1)),
        row_bytes: rowBytes,
        close_checkpoint_s: Number(closeSeconds.toFixed(2)),
      },
    };
  },
});
