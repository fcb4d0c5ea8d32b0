import { createOnnxPolicy, type OnnxPolicyOptions } from "./onnx_policy.ts";
import { createOpenAIPolicy, type OpenAIPolicyOptions } from "./openai_policy.ts";
import type { Policy } from "./types.ts";

/** Options of {@linkcode loadPolicy}: passed on to the backend that the spec selects. */
export interface LoadPolicyOptions {
  onnx?: OnnxPolicyOptions;
  openai?: Omit<OpenAIPolicyOptions, "baseUrls">;
}

/**
 * Opens a policy from a spec: a model folder (onnx backend), or one or more comma-separated
 * http(s) base URLs of OpenAI-compatible servers (openai backend, load-balanced).
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
  if (/^https?:\/\//.test(spec)) {
    const baseUrls = spec.split(",").map((s) => s.trim()).filter(Boolean);
    return await createOpenAIPolicy({ ...options.openai, baseUrls });
  }
  return await createOnnxPolicy(spec, options.onnx);
}
