import { z } from "zod";
import { sandboxOptionsSchema } from "../lib/sandbox/mod.ts";

/**
 * Flags shared by the tasks that run rollouts (eval, curate): the model, the prompt, the TIR loop
 * and the sandbox. Spread `.shape` into a task's schema.
 */
export const rolloutArgs = z.object({
  model: z.string().describe(
    "model folder (local onnx engine), or openai:URL / http(s) base URLs of OpenAI-compatible servers",
  ),
  promptTemplate: z.string().default("plain").describe(
    "prompt template: plain, qwen25-math-tir, think, or a .json file",
  ),
  temperature: z.number().min(0).default(0.7).describe("sampling temperature"),
  topP: z.number().gt(0).max(1).default(1).describe("nucleus sampling mass"),
  topK: z.number().int().min(0).default(0).describe("top-k cut, 0 = none"),
  maxTokens: z.number().int().positive().default(1024).describe(
    "generated tokens per trajectory at most (all turns)",
  ),
  maxCodeCalls: z.number().int().min(0).default(4).describe("code cells executed per trajectory"),
  execTimeoutMs: z.number().int().positive().default(5000).describe("wall time per code cell"),
  concurrency: z.number().int().positive().default(64).describe("trajectories in flight at once"),
  sandboxWorkers: z.number().int().positive().optional().describe(
    "sandbox worker processes (default: number of cores)",
  ),
  pythonPackages: z.string().optional().describe(
    "folder with pure-Python packages (sympy, mpmath) for the sandbox",
  ),
  prewarm: z.boolean().default(false).describe(
    "import sympy in every sandbox worker at start (models that use sympy)",
  ),
  ...sandboxOptionsSchema.shape,
  db: z.string().default("runs/tocode.duckdb").describe("DuckDB store file"),
  runId: z.string().optional().describe("run id; an existing id resumes that run"),
});

/** The rollout-pass settings that come straight from the shared flags. */
export function passSettings(
  args: Omit<z.infer<typeof rolloutArgs>, "model"> & { seed: number },
) {
  return {
    maxCodeCalls: args.maxCodeCalls,
    maxTokens: args.maxTokens,
    timeoutMs: args.execTimeoutMs,
    concurrency: args.concurrency,
    seed: args.seed,
    temperature: args.temperature,
    topP: args.topP,
    topK: args.topK,
  };
}
