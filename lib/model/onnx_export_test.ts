import * as ort from "onnxruntime-node";
import { type ModelConfigInput, modelConfigSchema } from "./config.ts";
import { randomWeights } from "./init_model.ts";
import { exportOnnx } from "./onnx_export.ts";
import { referenceForward } from "./reference.ts";
import type { Tensor } from "./safetensors.ts";

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const base = {
  vocab_size: 37,
  hidden_size: 32,
  intermediate_size: 48,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  rope_theta: 1000,
  rms_norm_eps: 1e-5,
};

/** Random weights with norms and biases far from their init, so a dropped term shows up. */
function weightsFor(config: ModelConfigInput, seed: number) {
  const parsed = modelConfigSchema.parse(config);
  const weights = randomWeights(parsed, { seed, std: 0.2 });
  let k = 0;
  for (const [name, t] of weights) {
    if (name.endsWith("norm.weight")) {
      t.data.forEach((_, i) => t.data[i] = 0.5 + ((i * 7 + k) % 10) / 10);
    }
    k++;
  }
  return { config: parsed, weights };
}

async function session(config: ModelConfigInput, weights: Map<string, Tensor>) {
  return await ort.InferenceSession.create(exportOnnx(modelConfigSchema.parse(config), weights));
}

function feeds(
  ids: number[][],
  mask: number[][],
  positions: number[][],
  past: Map<string, ort.Tensor> | null,
  layers: number,
  kvHeads: number,
  headDim: number,
): Record<string, ort.Tensor> {
  const b = ids.length;
  const i64 = (rows: number[][]) =>
    new ort.Tensor("int64", BigInt64Array.from(rows.flat().map(BigInt)), [b, rows[0].length]);
  const out: Record<string, ort.Tensor> = {
    input_ids: i64(ids),
    attention_mask: i64(mask),
    position_ids: i64(positions),
  };
  for (let l = 0; l < layers; l++) {
    for (const kind of ["key", "value"]) {
      out[`past_key_values.${l}.${kind}`] = past?.get(`present.${l}.${kind}`) ??
        new ort.Tensor("float32", new Float32Array(0), [b, kvHeads, 0, headDim]);
    }
  }
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert(a.length === b.length, `length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (
  const [label, extra] of [
    ["qwen2 (GQA, q/k/v biases, untied)", { model_type: "qwen2" }],
    ["llama (tied embeddings, no biases, MHA)", {
      model_type: "llama",
      tie_word_embeddings: true,
      num_key_value_heads: 4,
    }],
  ] as const
) {
  Deno.test(`exportOnnx() logits match the TypeScript reference: ${label}`, async () => {
    const config = { ...base, ...extra } as ModelConfigInput;
    const { config: parsed, weights } = weightsFor(config, 11);
    const tokens = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
    const expected = referenceForward(parsed, weights, tokens);
    const s = await session(config, weights);
    const n = tokens.length;
    const kv = parsed.num_key_value_heads!;
    const out = await s.run(
      feeds([tokens], [tokens.map(() => 1)], [tokens.map((_, i) => i)], null, 2, kv, 8),
    );
    const logits = out.logits.data as Float32Array;
    assert(out.logits.dims.join() === `1,${n},37`, `logits dims ${out.logits.dims}`);
    const diff = maxDiff(logits, expected);
    assert(diff < 1e-4, `max abs diff ${diff}`);
    assert(
      out["present.1.key"].dims.join() === `1,${kv},${n},8`,
      `present dims ${out["present.1.key"].dims}`,
    );
  });
}

Deno.test("exportOnnx() incremental decoding with the KV cache equals a full pass, left-padded rows too", async () => {
  const config = { ...base, model_type: "qwen2" } as ModelConfigInput;
  const { config: parsed, weights } = weightsFor(config, 5);
  const s = await session(config, weights);
  const a = [7, 8, 9, 10, 11, 12, 13, 14];
  const b = [20, 21, 22, 23, 24];
  const fullA = referenceForward(parsed, weights, a);
  const fullB = referenceForward(parsed, weights, b);
  const V = 37;
  // Prefill the first 4 tokens of a and the first 1 of b, b left-padded by 3.
  const prefill = await s.run(
    feeds(
      [a.slice(0, 4), [0, 0, 0, b[0]]],
      [[1, 1, 1, 1], [0, 0, 0, 1]],
      [[0, 1, 2, 3], [0, 0, 0, 0]],
      null,
      2,
      2,
      8,
    ),
  );
  const pl = prefill.logits.data as Float32Array;
  assert(
    maxDiff(pl.subarray(3 * V, 4 * V), fullA.subarray(3 * V, 4 * V)) < 1e-4,
    "prefill row a differs",
  );
  assert(
    maxDiff(pl.subarray(7 * V, 8 * V), fullB.subarray(0, V)) < 1e-4,
    "prefill row b (padded) differs",
  );
  let past = new Map(Object.entries(prefill));
  const mask = [[1, 1, 1, 1], [0, 0, 0, 1]];
  for (let step = 0; step < 4; step++) {
    const ta = a[4 + step];
    const tb = b[1 + step];
    mask[0].push(1);
    mask[1].push(1);
    const out = await s.run(feeds([[ta], [tb]], mask, [[4 + step], [1 + step]], past, 2, 2, 8));
    const logits = out.logits.data as Float32Array;
    const ia = 4 + step;
    const ib = 1 + step;
    const da = maxDiff(logits.subarray(0, V), fullA.subarray(ia * V, (ia + 1) * V));
    const db = maxDiff(logits.subarray(V, 2 * V), fullB.subarray(ib * V, (ib + 1) * V));
    assert(da < 1e-4 && db < 1e-4, `step ${step}: diffs ${da} ${db}`);
    past = new Map(Object.entries(out));
  }
});

for (
  const [label, extra] of [
    ["qwen2, GQA", { model_type: "qwen2" }],
    ["llama, MHA", { model_type: "llama", num_key_value_heads: 4 }],
  ] as const
) {
  Deno.test(`exportOnnx() buffer graph: decoding over a slot buffer with stale free slots equals a full pass: ${label}`, async () => {
    const config = { ...base, ...extra } as ModelConfigInput;
    const { config: parsed, weights } = weightsFor(config, 6);
    const s = await ort.InferenceSession.create(
      exportOnnx(parsed, weights, { kvCache: "buffer" }),
    );
    const rows = [[7, 8, 9, 10, 11, 12, 13, 14], [20, 21, 22, 23, 24]];
    const V = 37;
    const [kv, hd, slots] = [parsed.num_key_value_heads!, 8, 16];
    // Slot buffers start full of junk that only the mask keeps out.
    const buffers = Array.from({ length: 4 }, () => new Float32Array(2 * kv * slots * hd).fill(3));
    const names = ["0.key", "0.value", "1.key", "1.value"];
    const len = [0, 0];
    for (let step = 0; step < 5; step++) {
      // Row a starts with 3 tokens at once (a prompt), row b one by one.
      const take = step === 0 ? [3, 1] : [1, 1];
      const width = Math.max(...take);
      const ids: number[][] = [];
      const mask: number[][] = [];
      const positions: number[][] = [];
      rows.forEach((tokens, r) => {
        const pad = width - take[r];
        ids.push([...Array(pad).fill(0), ...tokens.slice(len[r], len[r] + take[r])]);
        positions.push([
          ...Array(pad).fill(0),
          ...Array.from({ length: take[r] }, (_, i) => len[r] + i),
        ]);
        const used = Array.from({ length: slots }, (_, j) => (j < len[r] ? 1 : 0));
        mask.push([...used, ...Array(pad).fill(0), ...Array(take[r]).fill(1)]);
      });
      const i64 = (x: number[][]) =>
        new ort.Tensor("int64", BigInt64Array.from(x.flat().map(BigInt)), [2, x[0].length]);
      const feedsNow: Record<string, ort.Tensor> = {
        input_ids: i64(ids),
        attention_mask: i64(mask),
        position_ids: i64(positions),
      };
      names.forEach((n, t) => {
        feedsNow[`past_key_values.${n}`] = new ort.Tensor("float32", buffers[t], [
          2,
          kv,
          slots,
          hd,
        ]);
      });
      const out = await s.run(feedsNow);
      rows.forEach((tokens, r) => {
        const full = referenceForward(parsed, weights, tokens.slice(0, len[r] + take[r]));
        const last = len[r] + take[r] - 1;
        const got = (out.logits.data as Float32Array).subarray(
          (r * width + width - 1) * V,
          (r * width + width) * V,
        );
        const diff = maxDiff(got, full.subarray(last * V, (last + 1) * V));
        assert(diff < 1e-4, `step ${step} row ${r}: diff ${diff}`);
        // The new positions' keys and values go into the row's next slots.
        names.forEach((n, t) => {
          const fresh = out[`new_key_values.${n}`].data as Float32Array;
          for (let h = 0; h < kv; h++) {
            for (let i = 0; i < take[r]; i++) {
              const from = ((r * kv + h) * width + width - take[r] + i) * hd;
              buffers[t].set(
                fresh.subarray(from, from + hd),
                ((r * kv + h) * slots + len[r] + i) * hd,
              );
            }
          }
        });
        len[r] += take[r];
      });
    }
  });
}
