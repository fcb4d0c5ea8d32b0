import type { onnx as OnnxTypes } from "onnx-proto";
import onnxProto from "onnx-proto";

// onnx-proto is CommonJS: its namespace is a property of the default export.
const onnx = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;
import { type ModelConfig, modelDims } from "./config.ts";
import type { Tensor } from "./safetensors.ts";
import { GraphBuilder } from "./_onnx_graph.ts";

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const BOOL = onnx.TensorProto.DataType.BOOL;

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
export function exportOnnx(config: ModelConfig, weights: Map<string, Tensor>): Uint8Array {
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
  const kvDims = ["batch_size", d.kvHeads, "past_sequence_length", d.headDim];
  const presentDims = ["batch_size", d.kvHeads, "total_sequence_length", d.headDim];
  for (let l = 0; l < d.layers; l++) {
    g.input(`past_key_values.${l}.key`, FLOAT, kvDims);
    g.input(`past_key_values.${l}.value`, FLOAT, kvDims);
  }
  g.output("logits", FLOAT, ["batch_size", "sequence_length", d.vocab]);
  for (let l = 0; l < d.layers; l++) {
    g.output(`present.${l}.key`, FLOAT, presentDims);
    g.output(`present.${l}.value`, FLOAT, presentDims);
  }

  // Rotary tables from position_ids: [batch, 1, seq, head_dim], HF rotate-half layout.
  const half = d.headDim / 2;
  const invFreq = new Float32Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = 1 / d.ropeTheta ** ((2 * i) / d.headDim);
  const freqs = g.op1("Mul", [
    g.op1("Unsqueeze", [g.op1("Cast", [positionIds], { to: FLOAT }), g.ints([-1])]),
    g.float("rotary.inv_freq", [half], invFreq),
  ]);
  const angles = g.op1("Unsqueeze", [g.op1("Concat", [freqs, freqs], { axis: -1 }), g.ints([1])]);
  const cos = g.op1("Cos", [angles]);
  const sin = g.op1("Sin", [angles]);

  // Additive attention bias [batch, 1, seq, total]: causal over cache slots, pads masked.
  const total = g.op1("Gather", [g.op1("Shape", [mask]), g.ints([1])], { axis: 0 });
  const seqLen = g.op1("Gather", [g.op1("Shape", [inputIds]), g.ints([1])], { axis: 0 });
  const zero = g.ints([0]);
  const one = g.ints([1]);
  const keyIdx = g.op1("Range", [
    g.op1("Squeeze", [zero, zero]),
    g.op1("Squeeze", [total, zero]),
    g.op1("Squeeze", [one, zero]),
  ]);
  const start = g.op1("Sub", [total, seqLen]);
  const queryIdx = g.op1("Range", [
    g.op1("Squeeze", [start, zero]),
    g.op1("Squeeze", [total, zero]),
    g.op1("Squeeze", [one, zero]),
  ]);
  const causal = g.op1("LessOrEqual", [
    g.op1("Unsqueeze", [keyIdx, zero]),
    g.op1("Unsqueeze", [queryIdx, one]),
  ]);
  const pad = g.op1("Unsqueeze", [g.op1("Cast", [mask], { to: BOOL }), g.ints([1, 2])]);
  const allowed = g.op1("And", [causal, pad]);
  const bias = g.op1("Where", [allowed, g.scalar(0), g.scalar(-1e9)]);

  const rmsNorm = (x: string, weight: string) => {
    const ms = g.op1("ReduceMean", [g.op1("Mul", [x, x])], { axes: [-1], keepdims: 1 });
    const inv = g.op1("Reciprocal", [g.op1("Sqrt", [g.op1("Add", [ms, g.scalar(d.eps)])])]);
    return g.op1("Mul", [g.op1("Mul", [x, inv]), weight]);
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

  let h = g.op1("Gather", [plain("model.embed_tokens.weight"), inputIds], { axis: 0 });
  const group = d.heads / d.kvHeads;
  for (let l = 0; l < d.layers; l++) {
    const p = `model.layers.${l}`;
    const x = rmsNorm(h, plain(`${p}.input_layernorm.weight`));
    const q = rotate(splitHeads(project(x, `${p}.self_attn.q_proj`, d.qkvBias), d.heads));
    const k = rotate(splitHeads(project(x, `${p}.self_attn.k_proj`, d.qkvBias), d.kvHeads));
    const v = splitHeads(project(x, `${p}.self_attn.v_proj`, d.qkvBias), d.kvHeads);
    const keys = g.named("Concat", [`past_key_values.${l}.key`, k], `present.${l}.key`, {
      axis: 2,
    });
    const values = g.named("Concat", [`past_key_values.${l}.value`, v], `present.${l}.value`, {
      axis: 2,
    });
    // GQA without copying the cache: fold each group of query heads into the sequence axis.
    const qScaled = g.op1("Mul", [q, g.scalar(1 / Math.sqrt(d.headDim))]);
    const qGrouped = group === 1
      ? qScaled
      : g.op1("Reshape", [qScaled, g.ints([0, d.kvHeads, -1, d.headDim])]);
    const keysT = g.op1("Transpose", [keys], { perm: [0, 1, 3, 2] });
    let scores = g.op1("MatMul", [qGrouped, keysT]); // [batch, kv_heads, group*seq, total]
    if (group !== 1) scores = g.op1("Reshape", [scores, g.ints([0, d.heads, -1, 0])]);
    let probs = g.op1("Softmax", [g.op1("Add", [scores, bias])], { axis: -1 });
    if (group !== 1) probs = g.op1("Reshape", [probs, g.ints([0, d.kvHeads, -1, 0])]);
    let attn = g.op1("MatMul", [probs, values]); // [batch, kv_heads, group*seq, head_dim]
    if (group !== 1) attn = g.op1("Reshape", [attn, g.ints([0, d.heads, -1, d.headDim])]);
    const merged = g.op1("Reshape", [
      g.op1("Transpose", [attn], { perm: [0, 2, 1, 3] }),
      g.ints([0, 0, d.heads * d.headDim]),
    ]);
    h = g.op1("Add", [h, project(merged, `${p}.self_attn.o_proj`, false)]);
    const y = rmsNorm(h, plain(`${p}.post_attention_layernorm.weight`));
    const gate = project(y, `${p}.mlp.gate_proj`, false);
    const up = project(y, `${p}.mlp.up_proj`, false);
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
  return g.encode({ name: config.model_type, opset: onnxOpset, producer: "tocode" });
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  }
  return out;
}
