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

Deno.test("curate on a slice: statistics agree with a recount, resume after SIGKILL, every export reads back", async () => {
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

  for (
    const [schema, file] of [["tocode", "set.parquet"], ["verl", "verl.parquet"], [
      "trl",
      "trl.jsonl",
    ], ["openrlhf", "orl.jsonl"]]
  ) {
    const out = join(dir, file);
    const exported = await task([...args, "--export", out, "--export-schema", schema]);
    assert.equal(exported.code, 0, exported.stderr);
    const reader = await openStore(":memory:");
    const rows = await reader.query<Record<string, unknown>>(
      file.endsWith(".parquet")
        ? `SELECT * FROM read_parquet('${out}')`
        : `SELECT * FROM read_json('${out}')`,
    ).catch(() => []);
    reader.close();
    if (schema === "verl") {
      assert.equal(rows.length, 40);
      const first = rows[0] as {
        reward_model: { style: string; ground_truth: string };
        prompt: unknown[];
      };
      assert.equal(first.reward_model.style, "rule");
      assert.ok(first.prompt.length === 1);
    }
    if (schema === "tocode") assert.ok(rows.length >= 40 * 4, `${rows.length} curated rows`);
    if (schema === "trl" || schema === "openrlhf") {
      // One line per successful rollout in a drawn mode; the prompt is the auto one and the
      // completion opens with the mode's trigger.
      const lines = (await Deno.readTextFile(out)).split("\n").filter(Boolean).map((l) =>
        JSON.parse(l)
      );
      const check = await openStore(db);
      const [{ n }] = await check.query<{ n: number }>(
        "SELECT count(*)::INT AS n FROM curated_rollouts WHERE run_id = 'c' AND imitate",
      );
      check.close();
      assert.equal(lines.length, n);
      for (const line of lines) {
        assert.ok(line.prompt.endsWith("Solution: "), line.prompt);
        assert.match(line.completion, /^Let's (reason step by step|first analyze)/);
        assert.equal(line.reward, 1);
      }
    }
  }
});
