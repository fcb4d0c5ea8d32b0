import { z } from "zod";
import { sandboxOptionsSchema } from "../sandbox/options.ts";

/**
 * How trajectories are generated: the prompt, sampling, and the TIR loop's budgets. The one
 * schema of these defaults; eval, curate, train's on-policy passes and the demo read it, and its
 * fields reach the TIR loop as one object.
 */
export const rolloutSettingsSchema = z.object({
  promptTemplate: z.string().default("plain").describe(
    "prompt template: plain, qwen25-math-tir, think, qwen25-math-cot, tool-integrated, or a .json file",
  ),
  temperature: z.number().min(0).default(0.7).describe("sampling temperature (0 = greedy)"),
  topP: z.number().gt(0).max(1).default(1).describe("nucleus sampling mass"),
  topK: z.number().int().min(0).default(0).describe("top-k cut, 0 = none"),
  stop: z.array(z.string().min(1)).default([]).describe(
    "extra stop string, beside the template's (repeatable)",
  ),
  maxTokens: z.number().int().positive().default(1024).describe(
    "generated tokens per trajectory at most (all turns)",
  ),
  maxTokensPerCall: z.number().int().positive().optional().describe(
    "generated tokens per generation call at most (default: what is left of --max-tokens)",
  ),
  maxCodeCalls: z.number().int().min(0).default(4).describe("code cells executed per trajectory"),
  // One flag for the executor and the TIR loop around it (lib/sandbox owns it).
  execSemantics: sandboxOptionsSchema.shape.execSemantics,
  execTimeoutMs: z.number().int().positive().default(5000).describe("wall time per code cell"),
  concurrency: z.number().int().positive().default(64).describe("trajectories in flight at once"),
});

/** Rollout settings with defaults applied. */
export type RolloutSettings = z.infer<typeof rolloutSettingsSchema>;

/** Rollout settings with defaults applied, for callers that set only some of them. */
export function rolloutSettings(values: Partial<RolloutSettings> = {}): RolloutSettings {
  return rolloutSettingsSchema.parse(values);
}

/**
 * Where trajectories are generated and run: the model and its server, the tokenizer, and the
 * sandbox pool.
 */
export const rolloutToolsSchema = z.object({
  model: z.string().describe(
    "model folder (local onnx engine), or openai:URL / http(s) base URLs of OpenAI-compatible servers (comma-separated; /v1 is added when missing)",
  ),
  servedModel: z.string().optional().describe(
    "model id on the server (default: the first one /v1/models lists)",
  ),
  tokenizer: z.string().optional().describe(
    "HF tokenizer folder (tokenizer_config.json): render the chat template locally and send raw prompts to /v1/completions",
  ),
  maxRetries: z.number().int().min(0).default(8).describe(
    "retries of a server request on 429, 5xx, dropped connections and timeouts",
  ),
  requestTimeoutS: z.number().positive().default(600).describe("time limit of one server request"),
  sandbox: sandboxOptionsSchema.shape.sandbox,
  python: sandboxOptionsSchema.shape.python,
  sandboxWorkers: z.number().int().positive().optional().describe(
    "sandbox worker processes (default: number of cores)",
  ),
  pythonPackages: z.string().optional().describe(
    "folder with pure-Python packages (sympy, mpmath) for the sandbox",
  ),
  prewarm: z.boolean().default(false).describe(
    "import sympy in every sandbox worker at start (models that use sympy)",
  ),
});

/** Rollout tools options with defaults applied. */
export type RolloutToolsConfig = z.infer<typeof rolloutToolsSchema>;
