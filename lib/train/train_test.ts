import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { generateSynthetic } from "../data/synthetic/mod.ts";
import { initModel } from "../model/mod.ts";
import { loadModel } from "../model/load_model.ts";
import { readSafetensors, writeSafetensors } from "../model/safetensors.ts";
import { sftRecords, templates } from "../rollout/mod.ts";
import { initBackend } from "./backend.ts";
import type { TrainRecord } from "./records.ts";
import { bucketByLength, train, type TrainOptions } from "./train.ts";
import { seededRandom } from "../data/seeded_random.ts";

await initBackend("wasm");

const tiny = {
  model_type: "llama",
  vocab_size: 104,
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  tie_word_embeddings: true,
} as const;

const records: TrainRecord[] = sftRecords(
  generateSynthetic({ split: "train", size: 20, seed: 2, levels: [1], skills: ["addition"] }),
  { template: templates.plain, codeShare: 0, seed: 0 },
).map((r) => ({ ...r, imitate: true, reinforce: false, eos: true }));

const base = (outDir: string): TrainOptions => ({
  loss: "sft",
  outDir,
  epochs: 200,
  batchSize: 10,
  accumulate: 1,
  lr: 1e-2,
  weightDecay: 0,
  warmupSteps: 2,
  clipNorm: 1,
  clipEps: 0.2,
  lambda: 1,
  maxLength: 96,
  seed: 3,
  checkpointEvery: 0,
  resume: false,
  exportOnnx: false,
});

async function model(seed: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "tocode-train-" });
  await initModel(tiny, { seed, dir: join(dir, "init") });
  return dir;
}

Deno.test("a 2-layer model overfits 20 supervised examples, with no tensor leaking across steps", async () => {
  const dir = await model(1);
  const counts: number[] = [];
  const losses: number[] = [];
  const summary = await train(join(dir, "init"), records, {
    ...base(join(dir, "out")),
    maxSteps: 240,
    onStep(_step, _total, metrics) {
      counts.push(tf.memory().numTensors);
      losses.push(metrics.loss);
    },
  });
  assert.equal(summary.steps, 240);
  assert.ok(losses[0] > 3, `starts near ln(vocab): ${losses[0]}`);
  assert.ok(summary.last.loss < 0.2, `final loss ${summary.last.loss}`);
  assert.deepEqual(new Set(counts.slice(2)).size, 1, `tensor counts drift: ${counts.slice(0, 8)}`);
});

Deno.test("--resume continues bit-for-bit from the checkpoint, even after a cut save", async () => {
  const dir = await model(2);
  const straight = join(dir, "straight");
  await train(join(dir, "init"), records, { ...base(straight), maxSteps: 6, epochs: 3 });

  const split = join(dir, "split");
  const stop = new AbortController();
  const first = await train(join(dir, "init"), records, {
    ...base(split),
    maxSteps: 6,
    epochs: 3,
    signal: stop.signal,
    onStep: (step) => step === 3 && stop.abort(),
  });
  assert.equal(first.steps, 3);
  // A save killed between its renames: the live checkpoint moved aside, a partial one beside it.
  await Deno.rename(join(split, "checkpoint"), join(split, "checkpoint.old"));
  await Deno.mkdir(join(split, "checkpoint.tmp"));
  await Deno.writeTextFile(join(split, "checkpoint.tmp", "model.safetensors"), "partial");
  const resumed: number[] = [];
  const second = await train(join(dir, "init"), records, {
    ...base(split),
    maxSteps: 6,
    epochs: 3,
    resume: true,
    onStep: (step) => resumed.push(step),
  });
  assert.equal(second.steps, 6);
  assert.deepEqual(resumed, [4, 5, 6], "only the remaining steps ran");

  const a = (await loadModel(straight)).weights;
  const b = (await loadModel(split)).weights;
  for (const [name, t] of a) assert.deepEqual(b.get(name)!.data, t.data, name);
});

Deno.test("bucketByLength() keeps every record once and cuts padding", () => {
  const random = seededRandom(4);
  const lengths = Array.from({ length: 103 }, () => 10 + random.int(300));
  const order = random.shuffle(lengths.map((_, i) => i));
  const bucketed = bucketByLength(order, lengths, { batchSize: 8, window: 4, random });
  assert.deepEqual([...bucketed].sort((a, b) => a - b), lengths.map((_, i) => i));
  const padding = (o: number[]) => {
    let pad = 0;
    for (let b = 0; b < o.length; b += 8) {
      const batch = o.slice(b, b + 8).map((i) => lengths[i]);
      pad += batch.reduce((s, l) => s + Math.max(...batch) - l, 0);
    }
    return pad;
  };
  assert.ok(padding(bucketed) < padding(order) / 2, `${padding(bucketed)} vs ${padding(order)}`);
  assert.deepEqual(bucketByLength(order, lengths, { batchSize: 8, window: 1, random }), order);
});

Deno.test("a step with a non-finite loss stops training with a clear error and is not applied", async () => {
  const dir = await model(4);
  const path = join(dir, "init", "model.safetensors");
  const weights = await readSafetensors(path);
  weights.get("model.norm.weight")!.data[0] = NaN;
  await writeSafetensors(path, weights);
  const steps: number[] = [];
  await assert.rejects(
    train(join(dir, "init"), records, {
      ...base(join(dir, "out")),
      maxSteps: 3,
      onStep: (step) => steps.push(step),
    }),
    /^Error: Cannot train: step 1 gave a non-finite loss, so it was not applied/,
  );
  assert.deepEqual(steps, []);
});
