import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../lib/store/mod.ts";
import { readLines } from "./_lines.ts";
import { tinyModel } from "./_tiny_model.ts";

const main = new URL("../tasks/main.ts", import.meta.url).pathname;

async function task(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("curate on a slice: statistics agree with a recount, resume after SIGKILL, the export reads back", async () => {
  const model = await tinyModel(9, "qwen2");
  const dir = await Deno.makeTempDir({ prefix: "tocode-curate-" });
  const db = join(dir, "runs.duckdb");
  const args = [
    "curate",
    "--model",
    model,
    "--dataset",
    "gsm8k_test",
    "--limit",
    "40",
    "--k",
    "2",
    "--m",
    "1",
    "--max-tokens",
    "128",
    "--db",
    db,
    "--run-id",
    "c",
    "--keep-uniform",
    "--temperature",
    "1",
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  for await (const line of readLines(child.stderr)) {
    if (/curate .* [1-9]\d*\/200/.test(line)) break;
  }
  child.kill("SIGKILL");
  await child.status;

  const resumed = await task(args);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming curate run c/);
  assert.match(resumed.stdout, /queries\s+kept\s+drawn/);

  const store = await openStore(db);
  const [counts] = await store.query<{ n: number; dup: number; logprobs: number }>(
    `SELECT count(*)::INT AS n,
        (count(*) - count(DISTINCT (problem_id, mode, sample_idx)))::INT AS dup,
        count(*) FILTER (WHERE ids_exact AND len(response_logprobs) = len(response_ids)
          AND len(list_filter(response_logprobs, x -> x IS NOT NULL)) = completion_tokens
          AND list_sum(response_mask) = completion_tokens)::INT AS logprobs
     FROM rollouts WHERE run_id = 'c'`,
  );
  assert.deepEqual({ n: counts.n, dup: counts.dup }, { n: 200, dup: 0 });
  assert.equal(counts.logprobs, 200, "every rollout keeps one behaviour log-prob per token");
  const mismatched = await store.query(
    `WITH recount AS (
       SELECT problem_id,
         avg(reward) FILTER (WHERE mode = 'text') AS q_text,
         avg(reward) FILTER (WHERE mode = 'code') AS q_code,
         avg(used_code::INT) FILTER (WHERE mode = 'auto') AS pi_code
       FROM rollouts WHERE run_id = 'c' GROUP BY problem_id)
     SELECT * FROM recount r JOIN curate_queries q USING (problem_id)
     WHERE q.run_id = 'c' AND (abs(r.q_text - q.q_text) > 1e-12 OR abs(r.q_code - q.q_code) > 1e-12
       OR abs(r.pi_code - q.pi_code) > 1e-12)`,
  );
  assert.deepEqual(mismatched, []);
  const [{ queries }] = await store.query<{ queries: number }>(
    "SELECT count(*)::INT AS queries FROM curate_queries WHERE run_id = 'c'",
  );
  assert.equal(queries, 40);
  store.close();

  const out = join(dir, "set.parquet");
  const exported = await task([...args, "--export", out, "--export-schema", "tocode"]);
  assert.equal(exported.code, 0, exported.stderr);
  const reader = await openStore(":memory:");
  const [{ n }] = await reader.query<{ n: number }>(
    `SELECT count(*)::INT AS n FROM read_parquet('${out}')`,
  );
  reader.close();
  assert.ok(n >= 40 * 4, `${n} curated rows`);
  // The trainer schemas need chat messages, which the plain template's raw prompt is not: refused
  // before any rollout (tests/export_test.ts covers them on a chat template).
  const refused = await task([
    ...args,
    "--export",
    join(dir, "verl.parquet"),
    "--export-schema",
    "verl",
  ]);
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /Cannot export as verl: prompt template "plain" writes a raw prompt that is not a ChatML/,
  );
});
