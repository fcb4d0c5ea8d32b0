import { initModel, type ModelConfigInput, writeModel } from "../model/mod.ts";

/** A tiny Qwen2-style config over the 101-token character vocabulary (every id decodes). */
export const tinyConfig = {
  model_type: "qwen2",
  vocab_size: 101,
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
} as const satisfies ModelConfigInput;

/** Writes a random tiny model folder into a fresh temp dir; weights std is large enough to vary. */
export async function tinyModel(
  seed = 1,
  edit?: (weights: Map<string, { data: Float32Array }>) => void,
) {
  const dir = await Deno.makeTempDir({ prefix: "tocode_policy_" });
  const { config, weights } = await initModel(tinyConfig, { seed, dir, std: 0.3 });
  if (edit) {
    edit(weights);
    await writeModel(dir, { config, weights });
  }
  return { dir, config, weights };
}
