import assert from "node:assert/strict";
import { join } from "node:path";
import { generateSynthetic } from "../lib/data/synthetic/mod.ts";
import { openServices, templates } from "../lib/rollout/mod.ts";
import { openStore } from "../lib/store/mod.ts";
import { loadTokenizer } from "../lib/policy/mod.ts";
import { encodeRecord, initBackend, rolloutRecords, trainOnPolicy } from "../lib/train/mod.ts";
import { tinyModel } from "./_tiny_model.ts";

await initBackend("wasm");

Deno.test("on-policy grpo: each round samples with the last checkpoint; step 1's ratio is 1", async () => {
  const model = await tinyModel(3);
  const out = join(await Deno.makeTempDir({ prefix: "tocode-grpo-" }), "out");
  const store = await openStore(":memory:");
  const services = openServices({ sandboxWorkers: 1 });
  const steps: { step: number; total: number; metrics: Record<string, number> }[] = [];
  try {
    const summary = await trainOnPolicy(
      model,
      generateSynthetic({ split: "train", size: 3, seed: 1, levels: [1], skills: ["addition"] }),
      {
        store,
        runId: "grpo-test",
        services,
        template: templates.plain,
        rounds: 2,
        queries: 2,
        group: 3,
        stepsPerRound: 1,
        maxTokens: 24,
        maxCodeCalls: 1,
        temperature: 1,
        loss: "grpo",
        outDir: out,
        epochs: 1,
        batchSize: 6,
        accumulate: 1,
        lr: 1e-2,
        weightDecay: 0,
        warmupSteps: 0,
        clipNorm: 1,
        clipEps: 0.2,
        lambda: 0,
        maxLength: 96,
        seed: 0,
        checkpointEvery: 0,
        onStep: (step, total, metrics) => steps.push({ step, total, metrics }),
      },
    );
    assert.equal(summary.steps, 2);
    assert.equal(summary.retokenized, 0, "on-policy rollouts are read as their sampled tokens");
    assert.ok(steps.every((s) => s.metrics.retokenized === 0));
    assert.deepEqual(steps.map((s) => [s.step, s.total]), [[1, 2], [2, 2]]);
    const rounds = await store.query<{ run_id: string; n: bigint; with_logprobs: bigint }>(
      `SELECT run_id, count(*) AS n, count(response_logprobs) AS with_logprobs FROM rollouts
       GROUP BY run_id ORDER BY run_id`,
    );
    assert.deepEqual(
      rounds.map((r) => [r.run_id, Number(r.n), Number(r.with_logprobs)]),
      [["grpo-test/round1", 6, 6], ["grpo-test/round2", 6, 6]],
    );
    const models = await store.query<{ id: string; model: string }>(
      `SELECT id, json_extract_string(args, '$.model') AS model FROM runs ORDER BY id`,
    );
    assert.deepEqual(models.map((r) => r.model), [model, out], "round 2 samples the checkpoint");
    // Sampled at temperature 1 by the ONNX engine from the weights the first step starts from:
    // the trainer's log-probs of those tokens equal the behaviour ones.
    const first = steps[0].metrics;
    // Every sampled token of every rollout carries its behaviour log-prob.
    const tokenizer = await loadTokenizer(model);
    for (const record of await rolloutRecords(store, "grpo-test/round1")) {
      const e = encodeRecord(record, tokenizer, { maxLength: 96, eos: 0 });
      const missing = e.generated.filter((g, i) => g && Number.isNaN(e.behaviour[i])).length;
      assert.equal(missing, 0, `${JSON.stringify(record.completion)}: ${missing} without`);
    }
    assert.ok(Math.abs(first.approx_kl) < 1e-4, `approx KL ${first.approx_kl}`);
    assert.equal(first.clip_frac, 0);
  } finally {
    await services.close();
    await store.close();
  }
});
