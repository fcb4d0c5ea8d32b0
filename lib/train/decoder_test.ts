import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { modelConfigSchema } from "../model/config.ts";
import { randomWeights } from "../model/init_model.ts";
import { referenceForward } from "../model/reference.ts";
import { initBackend } from "./backend.ts";
import { Decoder } from "./decoder.ts";
import { seededRandom } from "../data/seeded_random.ts";

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

Deno.test("Decoder gradients match finite differences of the reference forward pass", () => {
  const config = modelConfigSchema.parse({
    model_type: "qwen2",
    vocab_size: 24,
    hidden_size: 16,
    intermediate_size: 24,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
  });
  const weights = randomWeights(config, { seed: 4, std: 0.3 });
  const tokens = [[3, 1, 4, 1, 5, 9, 2, 6, 5], [2, 7, 1, 8, 2, 8, 1, 8, 2]];
  const inputs = tokens.map((row) => row.slice(0, -1));
  const targets = tokens.map((row) => row.slice(1));
  // Mean next-token NLL, computed in plain TypeScript (doubles for the log-sum-exp).
  const referenceLoss = (w: typeof weights) => {
    let sum = 0;
    inputs.forEach((row, b) => {
      const logits = referenceForward(config, w, row);
      row.forEach((_, t) => {
        const z = logits.subarray(t * config.vocab_size, (t + 1) * config.vocab_size);
        const max = Math.max(...z);
        const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
        sum += lse - z[targets[b][t]];
      });
    });
    return sum / (inputs.length * inputs[0].length);
  };
  const decoder = new Decoder(config, weights);
  const { grads } = tf.variableGrads(() =>
    tf.tidy(() => {
      const logits = decoder.forward(tf.tensor2d(inputs, undefined, "int32"));
      const logp = tf.logSoftmax(logits);
      const picked = logp.mul(tf.oneHot(tf.tensor2d(targets, undefined, "int32"), 24)).sum(-1);
      return picked.mean().neg() as tf.Scalar;
    }), decoder.trainable());
  const random = seededRandom(7);
  // Every kind of weight: embedding (tied head), norms, attention with biases, MLP.
  for (
    const name of [
      "model.embed_tokens.weight",
      "model.layers.0.input_layernorm.weight",
      "model.layers.0.self_attn.q_proj.weight",
      "model.layers.1.self_attn.k_proj.bias",
      "model.layers.1.self_attn.v_proj.weight",
      "model.layers.0.self_attn.o_proj.weight",
      "model.layers.1.mlp.gate_proj.weight",
      "model.layers.0.mlp.down_proj.weight",
      "model.norm.weight",
    ]
  ) {
    const base = weights.get(name)!;
    const direction = base.data.map(() => random.next() * 2 - 1);
    const analytic = [...grads[name].dataSync()].reduce(
      (s: number, g, i) => s + g * direction[i],
      0,
    );
    const step = 1e-2;
    const shifted = (sign: number) =>
      new Map(weights).set(name, {
        shape: base.shape,
        data: base.data.map((v, i) => v + sign * step * direction[i]),
      });
    const numeric = (referenceLoss(shifted(1)) - referenceLoss(shifted(-1))) / (2 * step);
    assert.ok(
      Math.abs(analytic - numeric) < 1e-3 + 2e-2 * Math.abs(numeric),
      `${name}: analytic ${analytic}, numeric ${numeric}`,
    );
  }
  tf.dispose(grads);
  decoder.dispose();
});
