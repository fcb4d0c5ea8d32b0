/**
 * Runs end honestly: what can be checked is checked before a run row exists, a run that fails is
 * marked failed with its error, and `report` reports the last run that finished.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadPolicy } from "../lib/policy/mod.ts";
import { beginRun, finishRun, openStore } from "../lib/store/mod.ts";
import { runTask } from "./_run_task.ts";
import { tinyModel } from "./_tiny_model.ts";

async function runIds(db: string): Promise<string[]> {
  try {
    await Deno.stat(db);
  } catch {
    return [];
  }
  const store = await openStore(db, { readOnly: true });
  const rows = await store.query<{ id: string }>("SELECT id FROM runs ORDER BY id");
  store.close();
  return rows.map((r) => r.id);
}

Deno.test("a model, template, dataset or export path that cannot work fails before the run row", async () => {
  const model = await tinyModel(3);
  const dir = await Deno.makeTempDir({ prefix: "tocode-life-" });
  const db = join(dir, "runs.duckdb");
  const common = ["--db", db, "--dataset", "aime24", "--limit", "2", "--max-tokens", "8"];
  const cases: [string[], RegExp][] = [
    [
      ["eval", "--model", join(dir, "nope"), ...common],
      /Cannot load (ONNX model|model config|tokenizer)/,
    ],
    [["eval", "--model", model, "--prompt-template", "nope", ...common], /unknown name/],
    [["eval", "--model", model, ...common, "--dataset", "nope"], /Cannot load dataset "nope"/],
    [
      ["curate", "--model", model, ...common, "--export", join(dir, "missing", "x.parquet")],
      /Cannot export to .*missing\/x\.parquet: .* \(--export\)/,
    ],
    [
      ["eval", "--model", "openai:http://127.0.0.1:9", "--max-retries", "0", ...common],
      /Cannot create openai policy: request failed/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await runTask(args);
    assert.notEqual(r.code, 0, args.join(" "));
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
    assert.deepEqual(await runIds(db), [], `no run row after: ${args.join(" ")}`);
  }
});

Deno.test("a model folder without onnx/model.onnx is named as such", async () => {
  const model = await tinyModel(4);
  await Deno.remove(join(model, "onnx"), { recursive: true });
  await assert.rejects(
    () => loadPolicy(model),
    new RegExp(`Cannot load ONNX model: no onnx/model\\.onnx or model\\.onnx \\(${model}\\)`),
  );
});

Deno.test("`deno task report` without --run reports the latest finished run and says which", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tocode-life-" });
  const db = join(dir, "runs.duckdb");
  const store = await openStore(db);
  await beginRun(store, "eval", { id: "good", args: { mode: "auto", n: 1 } });
  await finishRun(store, "good", "finished");
  await beginRun(store, "eval", { id: "broken", args: { mode: "auto", n: 1 } });
  await finishRun(store, "broken", "failed", "Cannot generate: server answered 500");
  await beginRun(store, "eval", { id: "stuck", args: {} });
  store.close();
  const r = await runTask(["report", "--db", db]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /reporting run good, the latest finished/);
  assert.equal(r.stdout.trim(), join(dir, "report-good.html"));
});

Deno.test("with the local engine, a prompt over the context is a sample's own error; the rest run", async () => {
  const model = await tinyModel(6); // max_position_embeddings 2048, one character per token
  const dir = await Deno.makeTempDir({ prefix: "tocode-life-" });
  const data = join(dir, "mixed.jsonl");
  const rows = [
    { id: "short-1", problem: "What is 2+2?", answer: "4" },
    { id: "long", problem: `Sum these: ${"1 + ".repeat(700)}1`, answer: "701" },
    { id: "short-2", problem: "What is 3+3?", answer: "6" },
  ];
  await Deno.writeTextFile(data, rows.map((r) => JSON.stringify(r)).join("\n"));
  const db = join(dir, "runs.duckdb");
  const r = await runTask([
    "eval",
    "--model",
    model,
    "--dataset",
    data,
    "--db",
    db,
    "--max-tokens",
    "16",
    "--run-id",
    "mixed",
    "--max-error-rate",
    "0.5",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const store = await openStore(db, { readOnly: true });
  const stored = await store.query<{ problem_id: string; error_kind: string | null }>(
    "SELECT problem_id, error_kind FROM rollouts WHERE run_id = 'mixed' ORDER BY problem_id",
  );
  store.close();
  assert.deepEqual(stored, [
    { problem_id: "long", error_kind: "prompt_too_long" },
    { problem_id: "short-1", error_kind: null },
    { problem_id: "short-2", error_kind: null },
  ]);
});
