import { join } from "node:path";
import { type ModelConfig, modelConfigSchema } from "./config.ts";
import { readSafetensors, type Tensor } from "./safetensors.ts";

/** A model folder read back: its config and float32 weights. */
export interface LoadedModel {
  config: ModelConfig;
  weights: Map<string, Tensor>;
}

/** Reads config.json and model.safetensors of a model folder in the HF layout. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const config = await readConfig(dir);
  const weights = await readSafetensors(join(dir, "model.safetensors"));
  return { config, weights };
}

/** Reads and validates config.json of a model folder. */
export async function readConfig(dir: string): Promise<ModelConfig> {
  const path = join(dir, "config.json");
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new Error(`Cannot read model config: ${(error as Error).message} (${path})`);
  }
  const parsed = modelConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(
      `Cannot read model config: ${issue.path.join(".") || "root"}: ${issue.message} (${path})`,
    );
  }
  return parsed.data;
}
