import { seededRandom } from "../data/seeded_random.ts";
import {
  type ModelConfig,
  type ModelConfigInput,
  modelConfigSchema,
  weightShapes,
} from "./config.ts";
import type { Tensor } from "./safetensors.ts";
import type { TokenizerFiles } from "./char_tokenizer.ts";
import { writeModel } from "./write_model.ts";

/** Options of {@linkcode randomWeights}. */
export interface RandomWeightsOptions {
  seed: number;
  /** Std of the normal init of matrices and biases; the config's `initializer_range` if unset. */
  std?: number;
}

/**
 * Random weights for a config, the same for the same seed on every machine: matrices and biases
 * drawn from N(0, std²), norm weights 1, as HF initialises a fresh model.
 */
export function randomWeights(
  config: ModelConfig,
  options: RandomWeightsOptions,
): Map<string, Tensor> {
  const random = seededRandom(options.seed);
  const std = options.std ?? config.initializer_range;
  const normal = () => {
    // Box–Muller; 1 - u keeps the log finite.
    const u = 1 - random.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  };
  const out = new Map<string, Tensor>();
  for (const [name, shape] of weightShapes(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith("norm.weight")) data.fill(1);
    else for (let i = 0; i < data.length; i++) data[i] = normal() * std;
    out.set(name, { shape, data });
  }
  return out;
}

/** Options of {@linkcode initModel}. */
export interface InitModelOptions {
  seed: number;
  /** Folder to write; created if missing. */
  dir: string;
  /** Tokenizer files to ship; the character-level tokenizer when left out. */
  tokenizer?: TokenizerFiles;
  /** Std of the normal init; the config's `initializer_range` when left out. */
  std?: number;
}

/**
 * Writes a randomly initialised model folder in the HF layout (config.json, model.safetensors,
 * generation_config.json, tokenizer files, onnx/model.onnx), deterministic in the seed. Returns
 * the parsed config and the weights.
 *
 * @example
 * ```ts
 * import { initModel } from "./init_model.ts";
 * const dir = await Deno.makeTempDir();
 * await initModel({
 *   model_type: "llama", vocab_size: 101, hidden_size: 16, intermediate_size: 32,
 *   num_hidden_layers: 1, num_attention_heads: 2,
 * }, { seed: 3, dir });
 * await Deno.stat(`${dir}/onnx/model.onnx`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function initModel(
  config: ModelConfigInput,
  options: InitModelOptions,
): Promise<{ config: ModelConfig; weights: Map<string, Tensor> }> {
  const parsed = modelConfigSchema.parse(config);
  const weights = randomWeights(parsed, { seed: options.seed, std: options.std });
  await writeModel(options.dir, { config: parsed, weights, tokenizer: options.tokenizer });
  return { config: parsed, weights };
}
