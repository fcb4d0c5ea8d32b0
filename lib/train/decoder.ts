import * as tf from "@tensorflow/tfjs";
import { type ModelConfig, type ModelDims, modelDims, weightShapes } from "../model/config.ts";
import type { Tensor } from "../model/safetensors.ts";

/**
 * The Qwen2/Llama decoder in TensorFlow.js, its weights as trainable variables under their HF
 * names (PyTorch `[out, in]` layout), so a checkpoint is a plain HF safetensors file.
 */
export class Decoder {
  readonly dims: ModelDims;
  readonly variables = new Map<string, tf.Variable>();
  private ropeCache = new Map<number, { cos: tf.Tensor2D; sin: tf.Tensor2D }>();

  constructor(readonly config: ModelConfig, weights: Map<string, Tensor>) {
    this.dims = modelDims(config);
    for (const [name, shape] of weightShapes(config)) {
      const w = weights.get(name);
      if (!w) throw new RangeError(`Cannot build the decoder: weight ${name} is missing`);
      if (w.shape.join() !== shape.join()) {
        throw new RangeError(
          `Cannot build the decoder: ${name} has shape [${w.shape}], expected [${shape}]`,
        );
      }
      this.variables.set(name, tf.variable(tf.tensor(w.data, shape), true, name));
    }
  }

  /** Logits `[batch, seq, vocab]` for token ids `[batch, seq]` (positions 0..seq-1, causal). */
  forward(ids: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const d = this.dims;
      const [batch, seq] = ids.shape;
      const w = (name: string) => this.variables.get(name)!;
      const embed = w("model.embed_tokens.weight"); // [vocab, hidden]
      let h = embedding(embed, ids.reshape([-1]).toInt()); // [B*T, D]
      const { cos, sin } = this.rope(seq);
      const mask = tf.linalg.bandPart(tf.ones([seq, seq]), -1, 0).sub(1).mul(1e9); // 0 / -1e9
      for (let l = 0; l < d.layers; l++) {
        const p = `model.layers.${l}`;
        const x = rmsNorm(h, w(`${p}.input_layernorm.weight`), d.eps);
        const proj = (name: string, heads: number) => {
          let y = linear(x, w(`${p}.self_attn.${name}.weight`));
          if (d.qkvBias) y = y.add(w(`${p}.self_attn.${name}.bias`));
          return y.reshape([batch, seq, heads, d.headDim]).transpose([0, 2, 1, 3]); // [B,H,T,hd]
        };
        const q = applyRope(proj("q_proj", d.heads), cos, sin);
        const k = applyRope(proj("k_proj", d.kvHeads), cos, sin);
        const v = proj("v_proj", d.kvHeads);
        // GQA without copying K/V: the query heads of one kv head share its keys and values
        // (query head h uses kv head floor(h / group), as HF's repeat_kv).
        const group = d.heads / d.kvHeads;
        const slices = batch * d.kvHeads;
        const qGrouped = q.reshape([slices, group * seq, d.headDim]);
        const scores = batchedMatMul(qGrouped, k.reshape([slices, seq, d.headDim]), true)
          .mul(1 / Math.sqrt(d.headDim)) // [B·kvH, group·T, T]
          .reshape([batch, d.kvHeads, group, seq, seq])
          .add(mask);
        const probs = tf.softmax(scores).reshape([slices, group * seq, seq]);
        const attn = batchedMatMul(probs, v.reshape([slices, seq, d.headDim]), false)
          .reshape([batch, d.heads, seq, d.headDim])
          .transpose([0, 2, 1, 3])
          .reshape([batch * seq, d.heads * d.headDim]);
        h = h.add(linear(attn, w(`${p}.self_attn.o_proj.weight`)));
        const y = rmsNorm(h, w(`${p}.post_attention_layernorm.weight`), d.eps);
        const gate = linear(y, w(`${p}.mlp.gate_proj.weight`));
        const up = linear(y, w(`${p}.mlp.up_proj.weight`));
        h = h.add(linear(gate.mul(tf.sigmoid(gate)).mul(up), w(`${p}.mlp.down_proj.weight`)));
      }
      h = rmsNorm(h, w("model.norm.weight"), d.eps);
      const head = d.tied ? embed : w("lm_head.weight");
      return linear(h, head).reshape([batch, seq, d.vocab]) as tf.Tensor3D;
    });
  }

  /** The current weights as float32 tensors under their HF names. */
  async weights(): Promise<Map<string, Tensor>> {
    const out = new Map<string, Tensor>();
    for (const [name, v] of this.variables) {
      out.set(name, { shape: [...v.shape], data: new Float32Array(await v.data()) });
    }
    return out;
  }

  /** Trainable variables, in a fixed order. */
  trainable(): tf.Variable[] {
    return [...this.variables.values()];
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    for (const { cos, sin } of this.ropeCache.values()) {
      cos.dispose();
      sin.dispose();
    }
  }

  private rope(seq: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
    let cached = this.ropeCache.get(seq);
    if (!cached) {
      const half = this.dims.headDim / 2;
      const angles = new Float32Array(seq * this.dims.headDim);
      for (let t = 0; t < seq; t++) {
        for (let i = 0; i < half; i++) {
          const a = t / this.dims.ropeTheta ** ((2 * i) / this.dims.headDim);
          angles[t * this.dims.headDim + i] = a;
          angles[t * this.dims.headDim + half + i] = a;
        }
      }
      const angle = tf.tensor2d(angles, [seq, this.dims.headDim]);
      cached = tf.tidy(() => ({ cos: tf.keep(tf.cos(angle)), sin: tf.keep(tf.sin(angle)) }));
      angle.dispose();
      this.ropeCache.set(seq, cached);
    }
    return cached;
  }
}

/**
 * Rows of the embedding table for token ids. tfjs's gather gradient needs UnsortedSegmentSum,
 * which the wasm backend lacks; a scatter-add (ScatterNd sums repeated ids on wasm, webgpu and
 * cpu) gives the same gradient, without the [tokens, vocab] one-hot a matmul lookup would need.
 */
const embedding = tf.customGrad(
  ((table: tf.Tensor, ids: tf.Tensor, save: tf.GradSaveFunc) => {
    save([ids]);
    const shape = table.shape;
    return {
      value: tf.gather(table, ids),
      gradFunc: (dy: tf.Tensor, [savedIds]: tf.Tensor[]) => [
        tf.scatterND(savedIds.expandDims(1), dy, shape),
        tf.zerosLike(savedIds),
      ],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0],
) as (table: tf.Tensor, ids: tf.Tensor) => tf.Tensor2D;

/**
 * Batched matmul whose gradient uses explicit transposes: tfjs's own gradient calls matmul with
 * transpose flags, which the wasm backend runs several times slower.
 */
const matMul = tf.customGrad(
  ((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    save([a, b]);
    const swap = (t: tf.Tensor) => {
      const axes = t.shape.map((_, i) => i);
      [axes[axes.length - 2], axes[axes.length - 1]] = [
        axes[axes.length - 1],
        axes[axes.length - 2],
      ];
      return t.transpose(axes);
    };
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.matMul(dy, swap(saved[1])),
        tf.matMul(swap(saved[0]), dy),
      ],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0],
) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * `a[i] · b[i]` (or `a[i] · b[i]ᵀ`) for 3-D tensors, as one 2-D matmul per slice: the wasm
 * backend runs rank-2 matmuls through XNNPACK but batched ones through a naive loop (~20× slower).
 */
function batchedMatMul(a: tf.Tensor, b: tf.Tensor, transposeB: boolean): tf.Tensor3D {
  if (tf.getBackend() !== "wasm") {
    return matMul(a, transposeB ? b.transpose([0, 2, 1]) : b) as tf.Tensor3D;
  }
  const bs = tf.unstack(b);
  return tf.stack(
    tf.unstack(a).map((x, i) => matMul(x, transposeB ? bs[i].transpose() : bs[i])),
  ) as tf.Tensor3D;
}

/**
 * x [N, in] · Wᵀ for W [out, in], with a gradient of two plain matmuls and one transpose:
 * dx = dy · W, dW = dyᵀ · x (the chain through `transpose` would add two more).
 */
const linear = tf.customGrad(
  ((x: tf.Tensor, weight: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, weight]);
    return {
      value: tf.matMul(x, weight.transpose()),
      gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => [
        tf.matMul(dy, ws),
        tf.matMul(dy.transpose(), xs),
      ],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0],
) as (x: tf.Tensor, weight: tf.Tensor) => tf.Tensor2D;

function rmsNorm(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor2D {
  const variance = x.square().mean(-1, true);
  return x.mul(tf.rsqrt(variance.add(eps))).mul(weight) as tf.Tensor2D;
}

/** HF's rotate-half rotary embedding on [B, H, T, hd]. */
function applyRope(x: tf.Tensor, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor {
  const half = x.shape[3]! / 2;
  const [a, b] = tf.split(x, [half, half], 3);
  const rotated = tf.concat([b.neg(), a], 3);
  return x.mul(cos).add(rotated.mul(sin));
}
