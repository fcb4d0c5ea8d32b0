import { createOnnxPolicy, type OnnxPolicyOptions } from "./onnx_policy.ts";
import { createOpenAIPolicy, type OpenAIPolicyOptions } from "./openai_policy.ts";
import { parseModelSpec } from "./model_spec.ts";
import type { Policy } from "./types.ts";

/** Options of {@linkcode loadPolicy}: passed on to the backend that the spec selects. */
export interface LoadPolicyOptions {
  onnx?: OnnxPolicyOptions;
  openai?: Omit<OpenAIPolicyOptions, "baseUrls">;
}

/**
 * Opens a policy from a `--model` spec (see {@linkcode parseModelSpec}): a model folder (onnx
 * backend), or `openai:` / http(s) base URLs of OpenAI-compatible servers (openai backend,
 * load-balanced).
 *
 * @example
 * ```ts
 * import { loadPolicy } from "./load_policy.ts";
 * import { initModel } from "../model/mod.ts";
 * const dir = await Deno.makeTempDir();
 * await initModel({
 *   model_type: "llama", vocab_size: 101, hidden_size: 16, intermediate_size: 32,
 *   num_hidden_layers: 1, num_attention_heads: 2,
 * }, { seed: 1, dir });
 * const policy = await loadPolicy(dir);
 * const [result] = await policy.generate([{ prompt: "1+1=", maxNewTokens: 4 }]);
 * if (result.completions[0].completionTokens > 4) throw new Error("budget ignored");
 * await policy.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadPolicy(spec: string, options: LoadPolicyOptions = {}): Promise<Policy> {
  const parsed = parseModelSpec(spec);
  if (parsed.backend === "openai") {
    return await createOpenAIPolicy({ ...options.openai, baseUrls: parsed.baseUrls });
  }
  return await createOnnxPolicy(parsed.dir, options.onnx);
}
