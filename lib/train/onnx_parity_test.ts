import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { join } from "node:path";
import { generateSynthetic } from "../data/synthetic/mod.ts";
import { initModel } from "../model/mod.ts";
import { loadModel } from "../model/load_model.ts";
import { modelDims } from "../model/config.ts";
import { sftRecords, templates } from "../rollout/mod.ts";
import { initBackend } from "./backend.ts";
import { Decoder } from "./decoder.ts";
import { train } from "./train.ts";

await initBackend("wasm");

Deno.test("a trained checkpoint's onnx/model.onnx gives the tfjs decoder's logits (< 1e-4)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tocode-onnx-parity-" });
  await initModel({
    model_type: "qwen2",
    vocab_size: 104,
    hidden_size: 48,
    intermediate_size: 80,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    tie_word_embeddings: false,
  }, { seed: 9, dir: join(dir, "init") });
  const records = sftRecords(
    generateSynthetic({ split: "train", size: 8, seed: 4, levels: [1, 2] }),
    { template: templates.plain, codeShare: 0.5, seed: 0 },
  ).map((r) => ({ ...r, imitate: true, reinforce: false, eos: true }));
  // A few steps with a large rate move every weight (norms, biases) away from its init.
  await train(join(dir, "init"), records, {
    loss: "sft",
    outDir: join(dir, "out"),
    epochs: 2,
    batchSize: 4,
    accumulate: 1,
    lr: 3e-2,
    weightDecay: 0.01,
    warmupSteps: 0,
    clipNorm: 1,
    clipEps: 0.2,
    lambda: 1,
    maxLength: 64,
    seed: 0,
    checkpointEvery: 0,
    resume: false,
    exportOnnx: true,
  });
  const { config, weights } = await loadModel(join(dir, "out"));
  const initial = await loadModel(join(dir, "init"));
  const norm = "model.layers.1.post_attention_layernorm.weight";
  assert.notDeepEqual(weights.get(norm)!.data, initial.weights.get(norm)!.data, "weights moved");

  const ids = [[5, 17, 40, 2, 99, 63, 8, 31, 22, 70], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]];
  const [rows, seq] = [ids.length, ids[0].length];
  const decoder = new Decoder(config, weights);
  const logits = decoder.forward(tf.tensor2d(ids, undefined, "int32"));
  const expected = await logits.data();
  logits.dispose();
  decoder.dispose();

  const d = modelDims(config);
  const session = await ort.InferenceSession.create(join(dir, "out", "onnx", "model.onnx"));
  const i64 = (values: number[]) =>
    new ort.Tensor("int64", BigInt64Array.from(values.map(BigInt)), [rows, seq]);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: i64(ids.flat()),
    attention_mask: i64(ids.flat().map(() => 1)),
    position_ids: i64(ids.flatMap((row) => row.map((_, t) => t))),
  };
  for (let l = 0; l < d.layers; l++) {
    for (const kind of ["key", "value"]) {
      feeds[`past_key_values.${l}.${kind}`] = new ort.Tensor("float32", new Float32Array(0), [
        rows,
        d.kvHeads,
        0,
        d.headDim,
      ]);
    }
  }
  const actual = (await session.run(feeds)).logits.data as Float32Array;
  await session.release();
  assert.equal(actual.length, expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  assert.ok(max < 1e-4, `max abs diff ${max}`);
});
