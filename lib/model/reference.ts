import { type ModelConfig, modelDims } from "./config.ts";
import type { Tensor } from "./safetensors.ts";

/**
 * A plain-TypeScript forward pass of a Qwen2/Llama decoder for one sequence (positions 0..n-1),
 * written for clarity, not speed: the yardstick that the ONNX export and the trainer are tested
 * against. Returns the logits, `[tokens.length * vocab]` row-major.
 *
 * @example
 * ```ts
 * import { modelConfigSchema } from "./config.ts";
 * import { randomWeights } from "./init_model.ts";
 * import { referenceForward } from "./reference.ts";
 * const config = modelConfigSchema.parse({
 *   model_type: "llama", vocab_size: 10, hidden_size: 8, intermediate_size: 16,
 *   num_hidden_layers: 1, num_attention_heads: 2,
 * });
 * const logits = referenceForward(config, randomWeights(config, { seed: 1 }), [1, 2, 3]);
 * if (logits.length !== 30) throw new Error("wrong shape");
 * ```
 */
export function referenceForward(
  config: ModelConfig,
  weights: Map<string, Tensor>,
  tokens: readonly number[],
): Float32Array {
  const d = modelDims(config);
  const n = tokens.length;
  const w = (name: string) => {
    const t = weights.get(name);
    if (!t) {
      throw new RangeError(`Cannot run the reference forward pass: weight ${name} is missing`);
    }
    return t.data;
  };
  const embed = w("model.embed_tokens.weight");
  let h: Float32Array = new Float32Array(n * d.hidden);
  for (let t = 0; t < n; t++) {
    h.set(embed.subarray(tokens[t] * d.hidden, (tokens[t] + 1) * d.hidden), t * d.hidden);
  }
  const group = d.heads / d.kvHeads;
  const scale = 1 / Math.sqrt(d.headDim);
  for (let l = 0; l < d.layers; l++) {
    const p = `model.layers.${l}`;
    const x = rmsNorm(h, w(`${p}.input_layernorm.weight`), d.hidden, d.eps);
    const bias = (name: string) => (d.qkvBias ? w(`${p}.self_attn.${name}.bias`) : undefined);
    const q = linear(x, w(`${p}.self_attn.q_proj.weight`), bias("q_proj"), n, d.hidden);
    const k = linear(x, w(`${p}.self_attn.k_proj.weight`), bias("k_proj"), n, d.hidden);
    const v = linear(x, w(`${p}.self_attn.v_proj.weight`), bias("v_proj"), n, d.hidden);
    rope(q, n, d.heads, d.headDim, d.ropeTheta);
    rope(k, n, d.kvHeads, d.headDim, d.ropeTheta);
    const attn = new Float32Array(n * d.heads * d.headDim);
    const scores = new Float64Array(n);
    for (let head = 0; head < d.heads; head++) {
      const kvHead = Math.floor(head / group);
      for (let i = 0; i < n; i++) {
        const qOff = (i * d.heads + head) * d.headDim;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          const kOff = (j * d.kvHeads + kvHead) * d.headDim;
          let s = 0;
          for (let c = 0; c < d.headDim; c++) s += q[qOff + c] * k[kOff + c];
          scores[j] = s * scale;
          if (scores[j] > max) max = scores[j];
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) sum += scores[j] = Math.exp(scores[j] - max);
        for (let j = 0; j <= i; j++) {
          const vOff = (j * d.kvHeads + kvHead) * d.headDim;
          const a = scores[j] / sum;
          for (let c = 0; c < d.headDim; c++) attn[qOff + c] += a * v[vOff + c];
        }
      }
    }
    const o = linear(attn, w(`${p}.self_attn.o_proj.weight`), undefined, n, d.heads * d.headDim);
    h = add(h, o);
    const y = rmsNorm(h, w(`${p}.post_attention_layernorm.weight`), d.hidden, d.eps);
    const gate = linear(y, w(`${p}.mlp.gate_proj.weight`), undefined, n, d.hidden);
    const up = linear(y, w(`${p}.mlp.up_proj.weight`), undefined, n, d.hidden);
    for (let i = 0; i < gate.length; i++) gate[i] = (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
    h = add(h, linear(gate, w(`${p}.mlp.down_proj.weight`), undefined, n, d.intermediate));
  }
  const final = rmsNorm(h, w("model.norm.weight"), d.hidden, d.eps);
  const head = d.tied ? embed : w("lm_head.weight");
  return linear(final, head, undefined, n, d.hidden);
}

/** y = x W^T + b for `rows` rows, W in PyTorch layout [out, in]. */
function linear(
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
  rows: number,
  inDim: number,
): Float32Array {
  const outDim = weight.length / inDim;
  const y = new Float32Array(rows * outDim);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outDim; o++) {
      let s = bias ? bias[o] : 0;
      for (let i = 0; i < inDim; i++) s += x[r * inDim + i] * weight[o * inDim + i];
      y[r * outDim + o] = s;
    }
  }
  return y;
}

function rmsNorm(x: Float32Array, weight: Float32Array, dim: number, eps: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let r = 0; r < x.length / dim; r++) {
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += x[r * dim + i] ** 2;
    const inv = 1 / Math.sqrt(ss / dim + eps);
    for (let i = 0; i < dim; i++) y[r * dim + i] = x[r * dim + i] * inv * weight[i];
  }
  return y;
}

/** HF rotary embedding, rotate-half convention: pairs (i, i + headDim/2). In place. */
function rope(x: Float32Array, n: number, heads: number, headDim: number, theta: number) {
  const half = headDim / 2;
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < half; i++) {
      const angle = t / theta ** ((2 * i) / headDim);
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      for (let h = 0; h < heads; h++) {
        const off = (t * heads + h) * headDim;
        const a = x[off + i];
        const b = x[off + i + half];
        x[off + i] = a * cos - b * sin;
        x[off + i + half] = b * cos + a * sin;
      }
    }
  }
}

function add(a: Float32Array, b: Float32Array): Float32Array {
  const y = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) y[i] = a[i] + b[i];
  return y;
}
