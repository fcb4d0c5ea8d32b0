import assert from "node:assert/strict";
import { join } from "node:path";
import { loadTokenizer } from "../lib/policy/mod.ts";
import { openStore } from "../lib/store/mod.ts";
import { readLines } from "./_lines.ts";
import { runTask, startServe } from "./_run_task.ts";
import { tinyModel } from "./_tiny_model.ts";

const main = new URL("../tasks/main.ts", import.meta.url).pathname;

const task = (args: string[]) => runTask(args);

/** The accuracy recounted by hand from the stored rows: mean over problems of the share correct. */
async function handCount(db: string, run: string) {
  const store = await openStore(db);
  const [row] = await store.query<{ n: number; problems: number; accuracy: number; dup: number }>(
    `WITH per AS (
       SELECT problem_id, avg(coalesce(correct, false)::INT) AS acc FROM rollouts
       WHERE run_id = $1 AND mode = 'auto' GROUP BY problem_id)
     SELECT (SELECT count(*) FROM rollouts WHERE run_id = $1)::INT AS n,
            (SELECT count(*) FROM per)::INT AS problems,
            (SELECT avg(acc) FROM per) AS accuracy,
            (SELECT count(*) - count(DISTINCT (problem_id, mode, sample_idx)) FROM rollouts WHERE run_id = $1)::INT AS dup`,
    [run],
  );
  store.close();
  return row;
}

Deno.test("eval over a MATH500 slice with the local engine: rows, summary, resume after SIGKILL, rescore", async () => {
  const model = await tinyModel(5);
  const dir = await Deno.makeTempDir({ prefix: "tocode-eval-" });
  const db = join(dir, "runs.duckdb");
  const common = [
    "eval",
    "--model",
    model,
    "--dataset",
    "math500",
    "--db",
    db,
    "--max-tokens",
    "48",
    "--seed",
    "1",
  ];

  const first = await task([...common, "--limit", "4", "--n", "3", "--run-id", "a"]);
  assert.equal(first.code, 0, first.stderr);
  const summary = JSON.parse(await Deno.readTextFile(join(dir, "a.summary.json")));
  const count = await handCount(db, "a");
  assert.equal(count.n, 12);
  assert.equal(count.problems, 4);
  const all = summary.groups.find((g: { group: string }) => g.group === "all");
  assert.equal(all.samples, 12);
  assert.equal(all.accuracy.mean, count.accuracy);
  assert.ok("3" in all.passAtK && "3" in all.majAtK);
  assert.match(first.stdout, /^group\s+problems\s+samples\s+accuracy/m);

  // A run killed mid-way resumes under its id without duplicates or losses.
  const long = [...common, "--limit", "100", "--n", "2", "--run-id", "b", "--max-tokens", "256"];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, ...long],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  for await (const line of readLines(child.stderr)) {
    if (/eval .* ([1-9]\d*)\/200/.test(line)) break;
  }
  child.kill("SIGKILL");
  await child.status;
  const partial = await handCount(db, "b");
  // Usually partial; if the machine finished first, the resume still must skip everything.
  assert.ok(partial.n <= 200);
  const resumed = await task(long);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`skipped ${partial.n} already done`));
  const done = await handCount(db, "b");
  assert.equal(done.n, 200);
  assert.equal(done.dup, 0);

  // Rescoring re-grades the stored completions and reproduces the verdicts.
  const rescored = await task(["eval", "--rescore", "a", "--db", db]);
  assert.equal(rescored.code, 0, rescored.stderr);
  assert.match(rescored.stderr, /rescored 12 samples of a: 0 verdicts changed/);
});

Deno.test("eval with the openai backend against `deno task serve`", async () => {
  const model = await tinyModel(5);
  const dir = await Deno.makeTempDir({ prefix: "tocode-eval-" });
  const { child: server, url } = await startServe(["--model", model]);
  try {
    const db = join(dir, "runs.duckdb");
    const result = await task([
      "eval",
      "--model",
      `openai:${url}`,
      "--dataset",
      "aime24",
      "--limit",
      "3",
      "--n",
      "2",
      "--max-tokens",
      "32",
      "--db",
      db,
      "--run-id",
      "remote",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const count = await handCount(db, "remote");
    assert.equal(count.n, 6);
    const store = await openStore(db);
    const rows = await store.query<{ n: number }>(
      "SELECT count(*)::INT AS n FROM rollouts WHERE run_id = 'remote' AND error IS NULL AND completion_tokens > 0",
    );
    store.close();
    assert.equal(rows[0].n, 6, "every sample came back from the server");
  } finally {
    server.kill("SIGTERM");
    await server.status;
  }
});

Deno.test("eval --mode code on the committed model keeps token-native rows: ids, mask, log-probs", async () => {
  const base = new URL("../models/tocode-base", import.meta.url).pathname;
  const dir = await Deno.makeTempDir({ prefix: "tocode-eval-" });
  const db = join(dir, "runs.duckdb");
  const r = await task([
    "eval",
    "--model",
    base,
    "--dataset",
    "synthetic:test:24:3",
    "--mode",
    "code",
    "--max-tokens",
    "300",
    "--db",
    db,
    "--run-id",
    "tokens",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const store = await openStore(db, { readOnly: true });
  const rows = await store.query<{
    completion: string;
    code_calls: number;
    stop_reason: string | null;
    ids_exact: boolean;
    prompt: string;
    prompt_ids: number[];
    response_ids: number[];
    response_mask: number[];
    response_logprobs: (number | null)[];
  }>(
    `SELECT completion, code_calls, stop_reason, ids_exact, prompt, prompt_ids, response_ids,
       response_mask, response_logprobs
     FROM rollouts WHERE run_id = 'tokens' AND error IS NULL`,
  );
  store.close();
  assert.equal(rows.length, 24);
  const tokenizer = await loadTokenizer(base);
  let withTools = 0;
  for (const row of rows) {
    assert.ok(row.ids_exact);
    assert.equal(row.response_mask.length, row.response_ids.length);
    assert.equal(row.response_logprobs.length, row.response_ids.length);
    row.response_mask.forEach((m, i) => {
      assert.equal(row.response_logprobs[i] === null, m === 0, "a log-prob exactly where sampled");
    });
    assert.equal(tokenizer.decode(row.prompt_ids), row.prompt);
    // The response decodes to the completion, then the stop string that ended it, if one did.
    assert.equal(tokenizer.decode(row.response_ids), row.completion + (row.stop_reason ?? ""));
    if (row.code_calls > 0) {
      withTools++;
      assert.ok(row.response_mask.includes(0), "tool output is in the response, masked");
    }
  }
  assert.ok(withTools > 0, "some trajectories ran code");
});
