import type { onnx as OnnxTypes } from "onnx-proto";
import onnxProto from "onnx-proto";
import type { Tensor } from "./safetensors.ts";
import { transpose } from "./_transpose.ts";

// onnx-proto is CommonJS: its namespace is a property of the default export.
const onnx = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;

/** The producer name {@linkcode exportOnnx} writes into the models it builds. */
export const onnxProducer = "tocode";

/**
 * The weights of a model.onnx written by this project's exporter, under their HF names and in
 * the checkpoint's layout (linear weights back to `[out, in]`), so that another graph of the same
 * model can be built from the file. Returns null for files from other exporters, whose
 * initializer names say nothing reliable about the weights.
 *
 * @example
 * ```ts
 * import { exportOnnx, modelConfigSchema, randomWeights, readOnnxWeights } from "./mod.ts";
 * const config = modelConfigSchema.parse({
 *   model_type: "qwen2", vocab_size: 10, hidden_size: 8, intermediate_size: 16,
 *   num_hidden_layers: 1, num_attention_heads: 2,
 * });
 * const weights = readOnnxWeights(exportOnnx(config, randomWeights(config, { seed: 1 })));
 * if (!weights?.has("model.layers.0.self_attn.q_proj.weight")) throw new Error("weights lost");
 * ```
 */
export function readOnnxWeights(bytes: Uint8Array): Map<string, Tensor> | null {
  const model = onnx.ModelProto.decode(bytes);
  if (model.producerName !== onnxProducer) return null;
  const weights = new Map<string, Tensor>();
  for (const init of model.graph?.initializer ?? []) {
    const name = init.name ?? "";
    if (!name.startsWith("model.") && name !== "lm_head.weight") continue;
    if (init.dataType !== onnx.TensorProto.DataType.FLOAT || !init.rawData) continue;
    const dims = (init.dims ?? []).map(Number);
    // Copy out of the protobuf buffer (its offset need not be 4-byte aligned); a Node Buffer's
    // slice() would be a view, so copy through the Uint8Array constructor.
    const raw = new Uint8Array(init.rawData);
    const data = new Float32Array(raw.buffer, 0, raw.byteLength / 4);
    if (/_proj\.weight$|^lm_head\.weight$/.test(name)) {
      const [inDim, out] = dims;
      weights.set(name, { shape: [out, inDim], data: transpose(data, inDim, out) });
    } else {
      weights.set(name, { shape: dims, data });
    }
  }
  return weights;
}

/**
 * The producer name of an ONNX model from the first bytes of its file (ModelProto field 2, which
 * exporters write right after the IR version), without decoding the weights that follow; null
 * when it is not within `head`.
 */
export function onnxProducerName(head: Uint8Array): string | null {
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; at < head.length && shift < 49; shift += 7) {
      const byte = head[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    return -1;
  };
  while (at < head.length) {
    const key = varint();
    if (key < 0) return null;
    const [field, wire] = [Math.floor(key / 8), key % 8];
    if (wire === 0) {
      if (varint() < 0) return null;
    } else if (wire === 2) {
      const length = varint();
      if (length < 0 || at + length > head.length) return null;
      if (field === 2) return new TextDecoder().decode(head.subarray(at, at + length));
      at += length;
    } else {
      return null;
    }
  }
  return null;
}
