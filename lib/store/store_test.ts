import assert from "node:assert/strict";
import { join } from "node:path";
import {
  beginRun,
  exportQuery,
  finishRun,
  getRun,
  migrations,
  openStore,
  RolloutWriter,
  SCHEMA_VERSION,
  upsertProblems,
  writeMetrics,
} from "./mod.ts";

const tempDb = async () => join(await Deno.makeTempDir({ prefix: "tocode-store-" }), "t.duckdb");

Deno.test("upsertProblems() replaces rows by id, keeps the last of repeated ids and empty fields as NULL", async () => {
  const store = await openStore(await tempDb());
  await upsertProblems(store, [
    { id: "a", dataset: "d", problem: "old", answer: "1", metadata: { level: 1 } },
    { id: "b", dataset: "d", problem: "kept", answer: "2", source: "s" },
  ]);
  await upsertProblems(store, [
    { id: "a", dataset: "d", problem: "first", answer: "3" },
    { id: "a", dataset: "d", problem: "new", answer: "4", metadata: { level: 5 } },
  ]);
  const rows = await store.query<Record<string, unknown>>(
    "SELECT id, problem, answer, source, metadata FROM problems ORDER BY id",
  );
  assert.deepEqual(rows.map((r) => [r.id, r.problem, r.answer, r.source]), [
    ["a", "new", "4", null],
    ["b", "kept", "2", "s"],
  ]);
  assert.deepEqual(JSON.parse(rows[0].metadata as string), { level: 5 });
  assert.deepEqual(rows[1].metadata, null);
  store.close();
});

Deno.test("store round trip: a run, problems, rollouts with turns and log-probs survive reopen", async () => {
  const path = await tempDb();
  let store = await openStore(path);
  const run = await beginRun(store, "eval", { id: "r1", args: { limit: 3 } });
  assert.deepEqual(run, { id: "r1", resumed: false });
  await upsertProblems(store, [
    { id: "p1", dataset: "d", problem: "1+1?", answer: "2", metadata: { level: 1 } },
  ]);
  const writer = await RolloutWriter.open(store, "r1");
  await writer.write({
    problem_id: "p1",
    mode: "code",
    sample_idx: 0,
    completion: "```python\nprint(1+1)\n```",
    turns: [{ kind: "code", text: "print(1+1)", language: "python", status: "ok", stdout: "2\n" }],
    used_code: true,
    correct: true,
    reward: 1,
    token_ids: [5, 6, 7],
    logprobs: [-0.5, -0.25, -1],
  });
  await writer.close();
  await writeMetrics(store, "r1", { step: 0, values: { loss: 1.5, nan: NaN } });
  await finishRun(store, "r1", "finished");
  store.close();

  store = await openStore(path);
  const rows = await store.query<Record<string, unknown>>("SELECT * FROM rollouts");
  assert.deepEqual(rows.length, 1);
  const [{ age }] = await store.query<{ age: number }>(
    "SELECT abs(epoch(current_timestamp::TIMESTAMP) - epoch(created_at)) AS age FROM rollouts",
  );
  assert.ok(age < 600, `created_at is ${age} s away from now`);
  assert.deepEqual(JSON.parse(rows[0].turns as string)[0].stdout, "2\n");
  assert.deepEqual(rows[0].logprobs, [-0.5, -0.25, -1]);
  assert.deepEqual(rows[0].token_ids, [5, 6, 7]);
  assert.deepEqual(rows[0].correct, true);
  const runRecord = await getRun(store, "r1");
  assert.deepEqual(runRecord?.status, "finished");
  assert.deepEqual(runRecord?.args, { limit: 3 });
  const metrics = await store.query("SELECT name, value FROM metrics");
  assert.deepEqual(metrics, [{ name: "loss", value: 1.5 }]);
  const problems = await store.query<{ metadata: string }>("SELECT metadata FROM problems");
  assert.deepEqual(JSON.parse(problems[0].metadata), { level: 1 });
  store.close();
});

Deno.test("RolloutWriter skips keys already stored, so a resumed run writes no duplicate", async () => {
  const store = await openStore(":memory:");
  await beginRun(store, "eval", { id: "r" });
  const first = await RolloutWriter.open(store, "r");
  for (let i = 0; i < 3; i++) await first.write({ problem_id: "p", mode: "auto", sample_idx: i });
  await first.close();

  const resumed = await beginRun(store, "eval", { id: "r" });
  assert.deepEqual(resumed.resumed, true);
  const second = await RolloutWriter.open(store, "r");
  assert(second.has({ problem_id: "p", mode: "auto", sample_idx: 2 }));
  assert(!second.has({ problem_id: "p", mode: "auto", sample_idx: 3 }));
  for (let i = 0; i < 5; i++) await second.write({ problem_id: "p", mode: "auto", sample_idx: i });
  await second.close();
  const [{ n }] = await store.query<{ n: number }>("SELECT count(*)::INT AS n FROM rollouts");
  assert.deepEqual(n, 5);
  await assert.rejects(() => beginRun(store, "curate", { id: "r" }), /is a eval run/);
  store.close();
});

Deno.test("openStore() migrates a file from schema version N-1 and keeps its rows", async () => {
  const path = await tempDb();
  let store = await openStore(path, { migrateTo: SCHEMA_VERSION - 1 });
  assert.deepEqual(await store.schemaVersion(), SCHEMA_VERSION - 1);
  // Written as that version's code wrote it: its columns only.
  await store.run(
    "INSERT INTO runs (id, task, args, status) VALUES ('old', 'eval', '{}', 'finished')",
  );
  store.close();

  store = await openStore(path);
  assert.deepEqual(await store.schemaVersion(), SCHEMA_VERSION);
  assert.deepEqual((await getRun(store, "old"))?.task, "eval");
  const newest = migrations[migrations.length - 1];
  const applied = await store.query<{ description: string }>(
    "SELECT description FROM schema_version WHERE version = $1",
    [newest.version],
  );
  assert.deepEqual(applied[0].description, newest.description);
  store.close();
});

Deno.test("openStore() refuses a file written by a newer tocode", async () => {
  const path = await tempDb();
  const store = await openStore(path);
  await store.run("INSERT INTO schema_version (version, description) VALUES ($1, 'future')", [
    SCHEMA_VERSION + 1,
  ]);
  store.close();
  await assert.rejects(() => openStore(path), (error: Error) => {
    assert.match(error.message, /^Cannot open store: the file has schema version \d+, newer than/);
    return true;
  });
  await assert.rejects(() => openStore(path, { readOnly: true }), /newer than/);
});

Deno.test("exportQuery() writes JSONL and Parquet that read back with the same rows", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tocode-export-" });
  const store = await openStore(":memory:");
  await beginRun(store, "eval", { id: "r" });
  const writer = await RolloutWriter.open(store, "r");
  for (let i = 0; i < 4; i++) {
    await writer.write({ problem_id: `p${i}`, mode: "text", sample_idx: 0, correct: i % 2 === 0 });
  }
  await writer.close();
  const jsonl = join(dir, "out", "rollouts.jsonl");
  assert.deepEqual(await exportQuery(store, "rollouts", jsonl), 4);
  const lines = (await Deno.readTextFile(jsonl)).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.problem_id).sort(), ["p0", "p1", "p2", "p3"]);

  const parquet = join(dir, "correct.parquet");
  const n = await exportQuery(store, "SELECT problem_id FROM rollouts WHERE correct", parquet);
  assert.deepEqual(n, 2);
  const back = await store.query<{ problem_id: string }>(
    `SELECT problem_id FROM read_parquet('${parquet}') ORDER BY 1`,
  );
  assert.deepEqual(back.map((r) => r.problem_id), ["p0", "p2"]);
  await assert.rejects(() => exportQuery(store, "rollouts", join(dir, "x.txt")), TypeError);
  store.close();
});
