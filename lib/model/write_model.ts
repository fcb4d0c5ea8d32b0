import { join } from "node:path";
import { charTokenizer, type TokenizerFiles } from "./char_tokenizer.ts";
import { eosTokenIds, type ModelConfig, modelConfigSchema } from "./config.ts";
import { exportOnnx } from "./onnx_export.ts";
import { type Tensor, writeSafetensors } from "./safetensors.ts";

/** What {@linkcode writeModel} writes. */
export interface WriteModelOptions {
  config: ModelConfig;
  weights: Map<string, Tensor>;
  /** Tokenizer files; the character-level tokenizer when left out. */
  tokenizer?: TokenizerFiles;
  /** Written as generation_config.json; derived from the tokenizer and config when left out. */
  generationConfig?: Record<string, unknown>;
  /** Skip onnx/model.onnx (e.g. for intermediate training checkpoints). */
  skipOnnx?: boolean;
}

/**
 * Writes a model folder in the HF layout: config.json, model.safetensors, generation_config.json,
 * tokenizer.json, tokenizer_config.json and onnx/model.onnx. Loads in transformers (PyTorch),
 * vLLM and transformers.js, and in this project's onnx policy.
 */
export async function writeModel(dir: string, options: WriteModelOptions): Promise<void> {
  const tokenizer = options.tokenizer ?? charTokenizer();
  const vocabSize = countTokens(tokenizer);
  const ids = tokenIds(tokenizer);
  const config = modelConfigSchema.parse({
    architectures: [
      options.config.model_type === "qwen2" ? "Qwen2ForCausalLM" : "LlamaForCausalLM",
    ],
    ...options.config,
  });
  if (config.vocab_size < vocabSize) {
    throw new RangeError(
      `Cannot write model: vocab_size ${config.vocab_size} is smaller than the tokenizer's ${vocabSize} tokens (${dir})`,
    );
  }
  if (config.eos_token_id === undefined) {
    const eos = ["<|im_end|>", "<|endoftext|>"].map((t) => ids.get(t)).filter((i) =>
      i !== undefined
    );
    if (eos.length > 0) config.eos_token_id = eos.length === 1 ? eos[0] : eos;
  }
  await Deno.mkdir(join(dir, "onnx"), { recursive: true });
  const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";
  await Deno.writeTextFile(join(dir, "config.json"), json(config));
  await writeSafetensors(join(dir, "model.safetensors"), options.weights);
  const generation = options.generationConfig ?? {
    bos_token_id: config.bos_token_id ?? undefined,
    eos_token_id: eosTokenIds(config),
    pad_token_id: config.pad_token_id ?? ids.get("<|endoftext|>"),
    do_sample: true,
    temperature: 1.0,
    top_p: 1.0,
  };
  await Deno.writeTextFile(join(dir, "generation_config.json"), json(generation));
  await Deno.writeTextFile(join(dir, "tokenizer.json"), json(tokenizer.tokenizer));
  await Deno.writeTextFile(join(dir, "tokenizer_config.json"), json(tokenizer.tokenizerConfig));
  if (!options.skipOnnx) {
    await Deno.writeFile(join(dir, "onnx", "model.onnx"), exportOnnx(config, options.weights));
  }
}

function tokenIds(files: TokenizerFiles): Map<string, number> {
  const model = files.tokenizer.model as { vocab?: Record<string, number> } | undefined;
  const out = new Map(Object.entries(model?.vocab ?? {}));
  const added = (files.tokenizer.added_tokens ?? []) as { id: number; content: string }[];
  for (const t of added) out.set(t.content, t.id);
  return out;
}

function countTokens(files: TokenizerFiles): number {
  let max = -1;
  for (const id of tokenIds(files).values()) max = Math.max(max, id);
  return max + 1;
}
