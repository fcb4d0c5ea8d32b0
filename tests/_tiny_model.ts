import { initModel } from "../lib/model/mod.ts";

/** A random one-layer model folder (character tokenizer) for end-to-end tests. */
export async function tinyModel(
  seed: number,
  modelType: "llama" | "qwen2" = "llama",
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "tocode-model-" });
  await initModel({
    model_type: modelType,
    vocab_size: 101,
    hidden_size: 32,
    intermediate_size: 64,
    num_hidden_layers: 1,
    num_attention_heads: 2,
  }, { seed, dir });
  return dir;
}
