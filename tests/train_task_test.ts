import assert from "node:assert/strict";
import { join } from "node:path";
import { generateSynthetic } from "../lib/data/synthetic/mod.ts";
import { sftRecords, templates } from "../lib/rollout/mod.ts";
import { openStore } from "../lib/store/mod.ts";

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

async function checkpointStep(out: string): Promise<number> {
  try {
    const state = await Deno.readTextFile(join(out, "checkpoint", "trainer_state.json"));
    return JSON.parse(state).step;
  } catch {
    return 0;
  }
}

Deno.test("deno task train on a JSONL file: metrics per step, HF folder with ONNX, resume after SIGKILL", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tocode-train-task-" });
  const config = join(dir, "config.json");
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      model_type: "qwen2",
      vocab_size: 104,
      hidden_size: 64,
      intermediate_size: 128,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      tie_word_embeddings: true,
    }),
  );
  const records = join(dir, "records.jsonl");
  const examples = sftRecords(
    generateSynthetic({ split: "train", size: 64, seed: 5, levels: [1, 2] }),
    { template: templates.plain, codeShare: 0.5, seed: 1 },
  );
  await Deno.writeTextFile(
    records,
    examples.map((r) => JSON.stringify({ ...r, imitate: true, reinforce: false, eos: true }))
      .join("\n") + "\n",
  );
  const db = join(dir, "runs.duckdb");
  const args = (out: string, runId: string) => [
    "train",
    "--init-config",
    config,
    "--out",
    out,
    "--loss",
    "sft",
    "--records",
    records,
    "--epochs",
    "4",
    "--max-steps",
    "30",
    "--batch-size",
    "8",
    "--max-length",
    "160",
    "--lr",
    "0.005",
    "--checkpoint-every",
    "1",
    "--backend",
    "wasm",
    "--threads",
    "1",
    "--db",
    db,
    "--run-id",
    runId,
  ];

  const straight = join(dir, "straight");
  const full = await task(args(straight, "straight"));
  assert.equal(full.code, 0, full.stderr);
  const summary = JSON.parse(full.stdout.trim().split("\n").at(-1)!);
  assert.equal(summary.steps, 30);
  for (const file of ["config.json", "model.safetensors", "tokenizer.json", "onnx/model.onnx"]) {
    await Deno.stat(join(straight, file));
  }

  const split = join(dir, "split");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, ...args(split, "split")],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let exited = false;
  child.status.then(() => (exited = true));
  let killedAt = 0;
  while ((killedAt = await checkpointStep(split)) < 3 && !exited) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill("SIGKILL");
  await child.status;
  assert.ok(killedAt >= 3 && killedAt < 30, `killed mid-run (checkpoint at step ${killedAt})`);
  const resumed = await task([...args(split, "split"), "--resume"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(
    await Deno.readFile(join(split, "model.safetensors")),
    await Deno.readFile(join(straight, "model.safetensors")),
    "the resumed run ends on the same weights",
  );

  const store = await openStore(db);
  try {
    const rows = await store.query<{ run_id: string; steps: bigint; first: number; last: number }>(
      `SELECT run_id, count(DISTINCT step) AS steps,
         arg_min(value, step) AS first, arg_max(value, step) AS last
       FROM metrics WHERE name = 'loss' GROUP BY run_id ORDER BY run_id`,
    );
    assert.deepEqual(rows.map((r) => [r.run_id, Number(r.steps)]), [["split", 30], [
      "straight",
      30,
    ]]);
    assert.ok(rows[1].last < rows[1].first, `the loss falls: ${rows[1].first} → ${rows[1].last}`);
  } finally {
    await store.close();
  }
});
