import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { modelConfigSchema } from "../model/config.ts";
import { randomWeights } from "../model/init_model.ts";
import { referenceForward } from "../model/reference.ts";
import { initBackend, wasmThreads } from "./backend.ts";
import { Decoder } from "./decoder.ts";

// Its own process (one test file): the threaded wasm build starts once per process.
await initBackend("wasm", { threads: 2 });

Deno.test("the threaded wasm build runs two threads and the decoder's logits still match", async () => {
  assert.equal(wasmThreads(), 2);
  const config = modelConfigSchema.parse({
    model_type: "qwen2",
    vocab_size: 50,
    hidden_size: 64,
    intermediate_size: 96,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
  });
  const weights = randomWeights(config, { seed: 2, std: 0.2 });
  const decoder = new Decoder(config, weights);
  const row = Array.from({ length: 48 }, (_, i) => (i * 7) % 50);
  const logits = decoder.forward(tf.tensor2d([row], undefined, "int32"));
  const actual = await logits.data();
  logits.dispose();
  decoder.dispose();
  const expected = referenceForward(config, weights, row);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  assert.ok(max < 1e-4, `max abs diff ${max}`);
});

Deno.test("Deno's own Worker still works after the threaded start", async () => {
  const url = URL.createObjectURL(
    new Blob(["self.onmessage = (e) => self.postMessage(e.data * 2);"], {
      type: "application/javascript",
    }),
  );
  const worker = new Worker(url, { type: "module" });
  assert.ok(worker instanceof Worker);
  const answer = await new Promise((resolve) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.postMessage(21);
  });
  worker.terminate();
  URL.revokeObjectURL(url);
  assert.equal(answer, 42);
});
