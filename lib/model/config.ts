import { z } from "zod";

/**
 * The `config.json` of a Qwen2/Llama decoder in the Hugging Face layout: the fields this project
 * reads and writes. Unknown fields are kept, so a real model's config survives a round trip.
 */
export const modelConfigSchema = z.looseObject({
  model_type: z.enum(["qwen2", "llama"]).describe("architecture family"),
  architectures: z.array(z.string()).optional().describe("HF class names"),
  vocab_size: z.number().int().positive(),
  hidden_size: z.number().int().positive(),
  intermediate_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  num_key_value_heads: z.number().int().positive().optional(),
  head_dim: z.number().int().positive().optional(),
  rms_norm_eps: z.number().positive().default(1e-6),
  rope_theta: z.number().positive().default(10000),
  max_position_embeddings: z.number().int().positive().default(2048),
  tie_word_embeddings: z.boolean().default(false),
  attention_bias: z.boolean().optional().describe("q/k/v biases (qwen2 always has them)"),
  hidden_act: z.string().default("silu"),
  bos_token_id: z.number().int().nullable().optional(),
  eos_token_id: z.union([z.number().int(), z.array(z.number().int())]).nullable().optional(),
  pad_token_id: z.number().int().nullable().optional(),
  torch_dtype: z.string().default("float32"),
  initializer_range: z.number().positive().default(0.02).describe(
    "std of the normal init of a fresh model's matrices",
  ),
});

/** A parsed `config.json`. */
export type ModelConfig = z.infer<typeof modelConfigSchema>;

/** The input of {@linkcode modelConfigSchema}: optional fields may be left out. */
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

/** Shapes derived from a config that every consumer needs. */
export interface ModelDims {
  vocab: number;
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** Whether q/k/v projections carry biases. */
  qkvBias: boolean;
  tied: boolean;
  eps: number;
  ropeTheta: number;
}

/**
 * Derives the dimensions of a decoder from its config (GQA heads, head size, biases).
 *
 * @example
 * ```ts
 * import { modelConfigSchema, modelDims } from "./config.ts";
 * const config = modelConfigSchema.parse({
 *   model_type: "qwen2", vocab_size: 100, hidden_size: 64, intermediate_size: 128,
 *   num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
 * });
 * const dims = modelDims(config);
 * if (dims.headDim !== 16 || !dims.qkvBias) throw new Error("wrong dims");
 * ```
 */
export function modelDims(config: ModelConfig): ModelDims {
  const heads = config.num_attention_heads;
  const kvHeads = config.num_key_value_heads ?? heads;
  const headDim = config.head_dim ?? config.hidden_size / heads;
  if (!Number.isInteger(headDim)) {
    throw new RangeError(
      `Cannot derive head_dim: hidden_size ${config.hidden_size} is not divisible by ${heads} heads (config.json)`,
    );
  }
  if (heads % kvHeads !== 0) {
    throw new RangeError(
      `Cannot group attention heads: ${heads} heads are not a multiple of ${kvHeads} key/value heads (config.json)`,
    );
  }
  return {
    vocab: config.vocab_size,
    hidden: config.hidden_size,
    intermediate: config.intermediate_size,
    layers: config.num_hidden_layers,
    heads,
    kvHeads,
    headDim,
    qkvBias: config.attention_bias ?? config.model_type === "qwen2",
    tied: config.tie_word_embeddings,
    eps: config.rms_norm_eps,
    ropeTheta: config.rope_theta,
  };
}

/** The end-of-sequence token ids of a config, as a list (HF allows a number or a list). */
export function eosTokenIds(config: { eos_token_id?: number | number[] | null }): number[] {
  const eos = config.eos_token_id;
  if (eos === undefined || eos === null) return [];
  return Array.isArray(eos) ? eos : [eos];
}

/**
 * The names and PyTorch-layout shapes ([out, in]) of every weight of a decoder, in the HF
 * naming (`model.layers.N.self_attn.q_proj.weight` ...).
 */
export function weightShapes(config: ModelConfig): Map<string, number[]> {
  const d = modelDims(config);
  const shapes = new Map<string, number[]>();
  shapes.set("model.embed_tokens.weight", [d.vocab, d.hidden]);
  for (let i = 0; i < d.layers; i++) {
    const p = `model.layers.${i}`;
    shapes.set(`${p}.input_layernorm.weight`, [d.hidden]);
    shapes.set(`${p}.self_attn.q_proj.weight`, [d.heads * d.headDim, d.hidden]);
    shapes.set(`${p}.self_attn.k_proj.weight`, [d.kvHeads * d.headDim, d.hidden]);
    shapes.set(`${p}.self_attn.v_proj.weight`, [d.kvHeads * d.headDim, d.hidden]);
    if (d.qkvBias) {
      shapes.set(`${p}.self_attn.q_proj.bias`, [d.heads * d.headDim]);
      shapes.set(`${p}.self_attn.k_proj.bias`, [d.kvHeads * d.headDim]);
      shapes.set(`${p}.self_attn.v_proj.bias`, [d.kvHeads * d.headDim]);
    }
    shapes.set(`${p}.self_attn.o_proj.weight`, [d.hidden, d.heads * d.headDim]);
    shapes.set(`${p}.post_attention_layernorm.weight`, [d.hidden]);
    shapes.set(`${p}.mlp.gate_proj.weight`, [d.intermediate, d.hidden]);
    shapes.set(`${p}.mlp.up_proj.weight`, [d.intermediate, d.hidden]);
    shapes.set(`${p}.mlp.down_proj.weight`, [d.hidden, d.intermediate]);
  }
  shapes.set("model.norm.weight", [d.hidden]);
  if (!d.tied) shapes.set("lm_head.weight", [d.vocab, d.hidden]);
  return shapes;
}

/**
 * The project's own small model: a Qwen2-style decoder over the character-level tokenizer,
 * small enough to train on a CPU and to decode fast with onnxruntime. The default of `initModel`
 * callers (training from scratch, tests, benchmarks).
 */
export const smallModelConfig = {
  model_type: "qwen2",
  vocab_size: 128,
  hidden_size: 256,
  intermediate_size: 768,
  num_hidden_layers: 4,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  max_position_embeddings: 2048,
  tie_word_embeddings: true,
  torch_dtype: "float32",
} as const satisfies ModelConfigInput;
