import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { modelConfigSchema } from "../model/config.ts";
import { randomWeights } from "../model/init_model.ts";
import { referenceForward } from "../model/reference.ts";
import { initBackend } from "./backend.ts";
import { Decoder } from "./decoder.ts";

await initBackend("wasm");

for (
  const [name, raw] of [
    ["qwen2 with GQA, q/k/v biases and tied embeddings", {
      model_type: "qwen2",
      vocab_size: 40,
      hidden_size: 32,
      intermediate_size: 48,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      tie_word_embeddings: true,
    }],
    ["llama with separate lm_head", {
      model_type: "llama",
      vocab_size: 30,
      hidden_size: 16,
      intermediate_size: 40,
      num_hidden_layers: 1,
      num_attention_heads: 2,
    }],
  ] as const
) {
  Deno.test(`Decoder logits equal the reference forward pass: ${name}`, () => {
    const config = modelConfigSchema.parse(raw);
    const weights = randomWeights(config, { seed: 11, std: 0.2 });
    const decoder = new Decoder(config, weights);
    const tokens = [[3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8, 1, 8]];
    const logits = tf.tidy(() =>
      decoder.forward(tf.tensor2d(tokens, undefined, "int32")).arraySync()
    );
    for (const [b, row] of tokens.entries()) {
      const expected = referenceForward(config, weights, row);
      let max = 0;
      for (let t = 0; t < row.length; t++) {
        for (let v = 0; v < config.vocab_size; v++) {
          max = Math.max(max, Math.abs(logits[b][t][v] - expected[t * config.vocab_size + v]));
        }
      }
      assert.ok(max < 1e-4, `max abs diff ${max}`);
    }
    decoder.dispose();
  });
}
