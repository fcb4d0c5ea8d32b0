import type { onnx as OnnxTypes } from "onnx-proto";
import onnxProto from "onnx-proto";
import type { ModelDims } from "./config.ts";
import type { GraphBuilder } from "./_onnx_graph.ts";

// onnx-proto is CommonJS: its namespace is a property of the default export.
const onnx = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;
const BOOL = onnx.TensorProto.DataType.BOOL;

/**
 * The additive attention bias `[batch, 1, seq, total]`: causal over cache slots, with the padded
 * positions of `attention_mask` masked out. `grouped` adds the unit group axis of the buffer
 * graph's scores, `[batch, 1, 1, seq, total]`.
 */
export function attentionBias(
  g: GraphBuilder,
  inputs: { inputIds: string; mask: string },
  options: { grouped?: boolean } = {},
): string {
  const { inputIds, mask } = inputs;
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
  const pad = g.op1("Unsqueeze", [
    g.op1("Cast", [mask], { to: BOOL }),
    g.ints(options.grouped ? [1, 2, 3] : [1, 2]),
  ]);
  const allowed = g.op1("And", [causal, pad]);
  return g.op1("Where", [allowed, g.scalar(0), g.scalar(-1e9)]);
}

/** Rotated queries and keys, values (`[batch, heads, seq, head_dim]`), bias and layer index. */
export interface AttentionParts {
  q: string;
  k: string;
  v: string;
  bias: string;
  layer: number;
}

/**
 * One layer's attention in the standard graph: the present cache is the past one with the new
 * keys and values appended (graph outputs `present.N.key|value`). Returns `[batch, seq, hidden]`.
 */
export function concatAttention(
  g: GraphBuilder,
  d: ModelDims,
  parts: AttentionParts,
): string {
  const { q, k, v, bias, layer } = parts;
  const keys = g.named(
    "Concat",
    [`past_key_values.${layer}.key`, k],
    cacheOutputName(layer, { kind: "key" }),
    {
      axis: 2,
    },
  );
  const values = g.named(
    "Concat",
    [`past_key_values.${layer}.value`, v],
    cacheOutputName(layer, { kind: "value" }),
    {
      axis: 2,
    },
  );
  const grouped = groupQueries(g, d, q);
  const scores = g.op1("MatMul", [grouped, g.op1("Transpose", [keys], { perm: [0, 1, 3, 2] })]);
  const probs = softmax(g, d, scores, bias);
  const attn = g.op1("MatMul", [probs, values]);
  return mergeHeads(g, d, d.heads === d.kvHeads ? attn : perHead(g, d, attn));
}

/**
 * One layer's attention in the buffer graph: scores against the past buffer and against the new
 * positions are computed apart and joined, so the cache is only read. The caller has named the
 * new keys and values `new_key_values.N.key|value` (graph outputs), scaled the queries already,
 * made `bias` grouped (see {@linkcode attentionBias}) and computed `sizes`, the buffer and new
 * lengths along the key axis, once for all layers. Returns `[batch, seq, hidden]`.
 *
 * Queries are laid out `[batch, kv_heads, group, seq, head_dim]` against a cache with a unit
 * group axis, so a decoding step multiplies one query row per (row, head) by the cache: for a
 * single row onnxruntime's CPU GEMM runs a kernel that reads the cache as it lies, where the
 * standard grouping (group folded into the rows) packs the whole cache first, every step
 * (~20% of a step at batch 64).
 */
export function bufferAttention(
  g: GraphBuilder,
  d: ModelDims,
  parts: AttentionParts & { sizes: string },
): string {
  const { q, k, v, bias, layer, sizes } = parts;
  const group = d.heads / d.kvHeads;
  const queries = g.op1("Reshape", [q, g.ints([0, d.kvHeads, group, -1, d.headDim])]);
  const withGroupAxis = (x: string) => g.op1("Unsqueeze", [x, g.ints([2])]);
  const transposed = (x: string) =>
    g.op1("Transpose", [withGroupAxis(x)], { perm: [0, 1, 2, 4, 3] });
  const scores = g.op1("Concat", [
    g.op1("MatMul", [queries, transposed(`past_key_values.${layer}.key`)]),
    g.op1("MatMul", [queries, transposed(k)]),
  ], { axis: -1 });
  const probs = g.op1("Softmax", [g.op1("Add", [scores, bias])], { axis: -1 });
  const [pPast, pNew] = g.op("Split", [probs, sizes], { axis: -1 }, 2);
  const attn = g.op1("Add", [
    g.op1("MatMul", [pPast, withGroupAxis(`past_key_values.${layer}.value`)]),
    g.op1("MatMul", [pNew, withGroupAxis(v)]),
  ]);
  return mergeHeads(g, d, perHead(g, d, attn));
}

/**
 * A graph's name for a layer's cache output: `present.N.key|value` in the standard graph (the
 * whole cache), `new_key_values.N.key|value` in the buffer graph (the new positions only).
 */
export function cacheOutputName(
  layer: number,
  options: { kind: "key" | "value"; kvCache?: "concat" | "buffer" },
): string {
  const prefix = options.kvCache === "buffer" ? "new_key_values" : "present";
  return `${prefix}.${layer}.${options.kind}`;
}

/**
 * Queries scaled by 1/√head_dim, with each group of heads folded into the sequence axis,
 * `[batch, kv_heads, group*seq, head_dim]`, so grouped-query attention multiplies against the
 * cache as it is.
 */
function groupQueries(g: GraphBuilder, d: ModelDims, q: string): string {
  const scaled = g.op1("Mul", [q, g.scalar(1 / Math.sqrt(d.headDim))]);
  return d.heads === d.kvHeads
    ? scaled
    : g.op1("Reshape", [scaled, g.ints([0, d.kvHeads, -1, d.headDim])]);
}

/** Softmax over keys of grouped scores plus the bias `[batch, 1, seq, keys]`, still grouped. */
function softmax(g: GraphBuilder, d: ModelDims, scores: string, bias: string) {
  const grouped = d.heads !== d.kvHeads;
  const perHead = grouped ? g.op1("Reshape", [scores, g.ints([0, d.heads, -1, 0])]) : scores;
  const probs = g.op1("Softmax", [g.op1("Add", [perHead, bias])], { axis: -1 });
  return grouped ? g.op1("Reshape", [probs, g.ints([0, d.kvHeads, -1, 0])]) : probs;
}

/** Attention output with the heads on their own axis, `[batch, heads, seq, head_dim]`. */
function perHead(g: GraphBuilder, d: ModelDims, attn: string): string {
  return g.op1("Reshape", [attn, g.ints([0, d.heads, -1, d.headDim])]);
}

/** Attention output `[batch, heads, seq, head_dim]` → `[batch, seq, hidden]`. */
function mergeHeads(g: GraphBuilder, d: ModelDims, heads: string): string {
  return g.op1("Reshape", [
    g.op1("Transpose", [heads], { perm: [0, 2, 1, 3] }),
    g.ints([0, 0, d.heads * d.headDim]),
  ]);
}
