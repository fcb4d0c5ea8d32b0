import type { RolloutSettings } from "./rollout_config.ts";

/**
 * Named rollout settings that reproduce another harness, for `--preset NAME`; flags given on the
 * command line override them.
 *
 * `qwen25-math`: QwenLM/Qwen2.5-Math `evaluation/` (math_eval.py, utils.py, python_executor.py;
 * docs/remote.md cites files and commits): the `tool-integrated` prompt and its stop words, greedy
 * decoding (temperature 0, top_p 1), 2,048 tokens per generation call, at most 4 generation calls
 * each followed by one execution (the 4th output ends with "Reach max function call limit."), a
 * 5 s execution timeout, and their executor's output (first and last 200 characters, the
 * error's last line, "Done" for no output).
 */
export const rolloutPresets = {
  "qwen25-math": {
    promptTemplate: "tool-integrated",
    temperature: 0,
    topP: 1,
    maxTokensPerCall: 2048,
    maxTokens: 4 * 2048,
    maxCodeCalls: 4,
    execTimeoutMs: 5000,
    execSemantics: "qwen",
  },
} as const satisfies Record<string, Partial<RolloutSettings>>;
