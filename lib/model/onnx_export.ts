import type { onnx as OnnxTypes } from "onnx-proto";
import onnxProto from "onnx-proto";

// onnx-proto is CommonJS: its namespace is a property of the default export.
const onnx = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;
import { type ModelConfig, modelDims } from "./config.ts";
import type { Tensor } from "./safetensors.ts";
import {
  attentionBias,
  bufferAttention,
  cacheOutputName,
  concatAttention,
} from "./_onnx_attention.ts";
import { GraphBuilder } from "./_onnx_graph.ts";
import { onnxProducer } from "./onnx_weights.ts";
import { transpose } from "./_transpose.ts";

export { cacheOutputName } from "./_onnx_attention.ts";

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

/** Options of {@linkcode exportOnnx}. */
export interface ExportOnnxOptions {
  /**
   * `concat`: the standard graph, whose `present.N.key|value` are the past cache with the new
   * positions appended (what Optimum exports and transformers.js use). `buffer`: the onnx
   * policy's decoding graph. Its past is a buffer of slots that `attention_mask` marks as used
   * or free (the new positions come after it), and it outputs only the new positions'
   * keys and values, `new_key_values.N.key|value`, which the caller writes into free slots. The
   * cache is then never copied: not appended inside the graph, not returned whole.
   */
  kvCache?: "concat" | "buffer";
}

/** Defaults of {@linkcode ExportOnnxOptions}. */
export const exportOnnxDefaults = { kvCache: "concat" } satisfies ExportOnnxOptions;

/** The ONNX opset the exported decoder uses (LessOrEqual needs 16). */
export const onnxOpset = 17;

/**
 * Builds an fp32 ONNX graph of a Qwen2/Llama decoder with a KV cache from its weights (HF names,
 * PyTorch layout). The I/O names follow Optimum and transformers.js: `input_ids`,
 * `attention_mask` (past + new), `position_ids`, `past_key_values.N.key|value`
 * `[batch, kv_heads, past, head_dim]` → `logits` `[batch, seq, vocab]`, `present.N.key|value`.
 * Rows may be left-padded: padded keys are masked out, positions come from `position_ids`.
 *
 * @example
 * ```ts
 * import { modelConfigSchema } from "./config.ts";
 * import { randomWeights } from "./init_model.ts";
 * import { exportOnnx } from "./onnx_export.ts";
 * const config = modelConfigSchema.parse({
 *   model_type: "qwen2", vocab_size: 10, hidden_size: 8, intermediate_size: 16,
 *   num_hidden_layers: 1, num_attention_heads: 2,
 * });
 * const bytes = exportOnnx(config, randomWeights(config, { seed: 1 }));
 * if (bytes.length < 1000) throw new Error("graph too small");
 * ```
 */
export function exportOnnx(
  config: ModelConfig,
  weights: Map<string, Tensor>,
  options: ExportOnnxOptions = {},
): Uint8Array {
  const kvCache = options.kvCache ?? exportOnnxDefaults.kvCache;
  const buffered = kvCache === "buffer";
  const d = modelDims(config);
  const g = new GraphBuilder();
  const w = (name: string): Tensor => {
    const t = weights.get(name);
    if (!t) throw new RangeError(`Cannot export ONNX: weight ${name} is missing`);
    return t;
  };
  // MatMul wants [in, out]; the checkpoint holds [out, in].
  const linearWeight = (name: string) => {
    const t = w(name);
    const [out, inDim] = t.shape;
    return g.float(name, [inDim, out], transpose(t.data, out, inDim));
  };
  const plain = (name: string) => g.float(name, w(name).shape, w(name).data);

  const inputIds = g.input("input_ids", INT64, ["batch_size", "sequence_length"]);
  const mask = g.input("attention_mask", INT64, ["batch_size", "total_sequence_length"]);
  const positionIds = g.input("position_ids", INT64, ["batch_size", "sequence_length"]);
  const pastLength = buffered ? "buffer_length" : "past_sequence_length";
  const kvDims = ["batch_size", d.kvHeads, pastLength, d.headDim];
  for (let l = 0; l < d.layers; l++) {
    g.input(`past_key_values.${l}.key`, FLOAT, kvDims);
    g.input(`past_key_values.${l}.value`, FLOAT, kvDims);
  }
  g.output("logits", FLOAT, ["batch_size", "sequence_length", d.vocab]);
  const outLength = buffered ? "sequence_length" : "total_sequence_length";
  for (let l = 0; l < d.layers; l++) {
    for (const kind of ["key", "value"] as const) {
      g.output(cacheOutputName(l, { kind, kvCache }), FLOAT, [
        "batch_size",
        d.kvHeads,
        outLength,
        d.headDim,
      ]);
    }
  }

  // Rotary tables from position_ids: [batch, 1, seq, head_dim], HF rotate-half layout.
  const half = d.headDim / 2;
  const invFreq = new Float32Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = 1 / d.ropeTheta ** ((2 * i) / d.headDim);
  const freqs = g.op1("Mul", [
    g.op1("Unsqueeze", [g.op1("Cast", [positionIds], { to: FLOAT }), g.ints([-1])]),
    g.float("rotary.inv_freq", [half], invFreq),
  ]);
  // Broadcast over heads: [batch, 1, seq, head_dim] for the standard graph's [batch, heads, seq,
  // head_dim]; [batch, seq, 1, head_dim] for the buffer graph, which rotates before transposing.
  const angles = g.op1("Unsqueeze", [
    g.op1("Concat", [freqs, freqs], { axis: -1 }),
    g.ints([buffered ? 2 : 1]),
  ]);
  const cos = g.op1("Cos", [angles]);
  const sin = g.op1("Sin", [angles]);

  const bias = attentionBias(g, { inputIds, mask }, { grouped: buffered });
  // Buffer graph: where the keys split into the buffer's slots and the new positions.
  const splitSizes = buffered
    ? g.op1("Concat", [
      g.op1("Gather", [g.op1("Shape", ["past_key_values.0.key"]), g.ints([2])], { axis: 0 }),
      g.op1("Gather", [g.op1("Shape", [inputIds]), g.ints([1])], { axis: 0 }),
    ], { axis: 0 })
    : "";

  const rmsNorm = (x: string, weight: string) => {
    // The pattern onnxruntime fuses into one SimplifiedLayerNormalization kernel.
    const ms = g.op1("ReduceMean", [g.op1("Pow", [x, g.scalar(2)])], { axes: [-1], keepdims: 1 });
    const rms = g.op1("Sqrt", [g.op1("Add", [ms, g.scalar(d.eps)])]);
    return g.op1("Mul", [g.op1("Div", [x, rms]), weight]);
  };
  const rotate = (x: string) => {
    const x1 = g.op1("Slice", [x, g.ints([0]), g.ints([half]), g.ints([-1])]);
    const x2 = g.op1("Slice", [x, g.ints([half]), g.ints([d.headDim]), g.ints([-1])]);
    const rotated = g.op1("Concat", [g.op1("Neg", [x2]), x1], { axis: -1 });
    return g.op1("Add", [g.op1("Mul", [x, cos]), g.op1("Mul", [rotated, sin])]);
  };
  // [batch, seq, heads*head_dim] -> [batch, heads, seq, head_dim]
  const splitHeads = (x: string, heads: number) =>
    g.op1("Transpose", [g.op1("Reshape", [x, g.ints([0, 0, heads, d.headDim])])], {
      perm: [0, 2, 1, 3],
    });
  const project = (x: string, prefix: string, hasBias: boolean) => {
    const y = g.op1("MatMul", [x, linearWeight(`${prefix}.weight`)]);
    return hasBias ? g.op1("Add", [y, plain(`${prefix}.bias`)]) : y;
  };

  // The buffer graph joins the q/k/v and the gate/up projections into one MatMul each and rotates
  // queries and keys together: fewer, larger kernels per layer.
  const joined = (name: string, prefixes: string[], suffix: string, scaleFirst = 1) => {
    const parts = prefixes.map((prefix) => w(`${prefix}.${suffix}`));
    if (scaleFirst !== 1) {
      parts[0] = { shape: parts[0].shape, data: parts[0].data.map((x) => x * scaleFirst) };
    }
    const rows = concatRows(parts); // biases: [sum of out]; weights: [sum of out, in]
    if (suffix === "bias") return g.float(name, [rows.length], rows);
    const inDim = parts[0].shape[1];
    const outDim = rows.length / inDim;
    return g.float(name, [inDim, outDim], transpose(rows, outDim, inDim));
  };
  const attentionInputs = (x: string, l: number) => {
    const p = `model.layers.${l}`;
    if (!buffered) {
      return {
        q: rotate(splitHeads(project(x, `${p}.self_attn.q_proj`, d.qkvBias), d.heads)),
        k: rotate(splitHeads(project(x, `${p}.self_attn.k_proj`, d.qkvBias), d.kvHeads)),
        v: splitHeads(project(x, `${p}.self_attn.v_proj`, d.qkvBias), d.kvHeads),
      };
    }
    // Queries come out scaled by 1/√head_dim (rotation is linear, so it commutes).
    const names = ["q_proj", "k_proj", "v_proj"].map((n) => `${p}.self_attn.${n}`);
    const scale = 1 / Math.sqrt(d.headDim);
    let qkv = g.op1("MatMul", [
      x,
      joined(`${p}.self_attn.qkv_proj.weight`, names, "weight", scale),
    ]);
    if (d.qkvBias) {
      qkv = g.op1("Add", [qkv, joined(`${p}.self_attn.qkv_proj.bias`, names, "bias", scale)]);
    }
    const heads = g.op1("Reshape", [qkv, g.ints([0, 0, d.heads + 2 * d.kvHeads, d.headDim])]);
    const [qk, v] = g.op(
      "Split",
      [heads, g.ints([d.heads + d.kvHeads, d.kvHeads])],
      { axis: 2 },
      2,
    );
    const [q, k] = g.op("Split", [rotate(qk), g.ints([d.heads, d.kvHeads])], { axis: 2 }, 2);
    // The new keys and values in [batch, kv_heads, seq, head_dim] are the graph's cache outputs.
    const toHeads = (t: string, output?: string) =>
      output
        ? g.named("Transpose", [t], output, { perm: [0, 2, 1, 3] })
        : g.op1("Transpose", [t], { perm: [0, 2, 1, 3] });
    return {
      q: toHeads(q),
      k: toHeads(k, cacheOutputName(l, { kind: "key", kvCache: "buffer" })),
      v: toHeads(v, cacheOutputName(l, { kind: "value", kvCache: "buffer" })),
    };
  };
  const gateAndUp = (y: string, p: string) => {
    if (!buffered) {
      return [project(y, `${p}.mlp.gate_proj`, false), project(y, `${p}.mlp.up_proj`, false)];
    }
    const names = [`${p}.mlp.gate_proj`, `${p}.mlp.up_proj`];
    const both = g.op1("MatMul", [y, joined(`${p}.mlp.gate_up_proj.weight`, names, "weight")]);
    return g.op("Split", [both, g.ints([d.intermediate, d.intermediate])], { axis: -1 }, 2);
  };

  let h = g.op1("Gather", [plain("model.embed_tokens.weight"), inputIds], { axis: 0 });
  for (let l = 0; l < d.layers; l++) {
    const p = `model.layers.${l}`;
    const x = rmsNorm(h, plain(`${p}.input_layernorm.weight`));
    const parts = { ...attentionInputs(x, l), bias, layer: l };
    const merged = buffered
      ? bufferAttention(g, d, { ...parts, sizes: splitSizes })
      : concatAttention(g, d, parts);
    h = g.op1("Add", [h, project(merged, `${p}.self_attn.o_proj`, false)]);
    const y = rmsNorm(h, plain(`${p}.post_attention_layernorm.weight`));
    const [gate, up] = gateAndUp(y, p);
    const act = g.op1("Mul", [g.op1("Mul", [gate, g.op1("Sigmoid", [gate])]), up]);
    h = g.op1("Add", [h, project(act, `${p}.mlp.down_proj`, false)]);
  }
  const final = rmsNorm(h, plain("model.norm.weight"));
  const head = d.tied
    ? g.float(
      "lm_head.weight",
      [d.hidden, d.vocab],
      transpose(w("model.embed_tokens.weight").data, d.vocab, d.hidden),
    )
    : linearWeight("lm_head.weight");
  g.named("MatMul", [final, head], "logits");
  return g.encode({ name: config.model_type, opset: onnxOpset, producer: onnxProducer });
}

/** Row-major tensors stacked along their first axis. */
function concatRows(parts: Tensor[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, t) => n + t.data.length, 0));
  let at = 0;
  for (const t of parts) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}
