import type { ChatMessage } from "../policy/types.ts";
import { CODE_TRIGGER, type Mode, TEXT_TRIGGER } from "./modes.ts";

/** Turns a problem and a mode into the prompt string a policy continues. */
export interface PromptTemplate {
  name: string;
  description: string;
  /** Renders the prompt; chat templates call `renderChat` (the model's own chat template). */
  render(problem: string, mode: Mode, renderChat?: (messages: ChatMessage[]) => string): string;
  /** Extra stop strings (e.g. a chat end-of-turn marker the tokenizer does not treat as EOS). */
  stop: string[];
}

/** The assistant's opening words per mode: forced modes start with their trigger. */
export function modePrefix(mode: Mode): string {
  if (mode === "code") return `${CODE_TRIGGER}\n`;
  if (mode === "text") return `${TEXT_TRIGGER}\n`;
  return "";
}

const TIR_SYSTEM =
  "Please integrate natural language reasoning with programs to solve the problem above, and put your final answer within \\boxed{}.";
const COT_SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";

function chat(
  system: (mode: Mode) => string,
): PromptTemplate["render"] {
  return (problem, mode, renderChat) => {
    if (!renderChat) {
      throw new Error(
        "Cannot render a chat prompt: the model has no chat template (use --prompt-template plain)",
      );
    }
    return renderChat([
      { role: "system", content: system(mode) },
      { role: "user", content: problem },
    ]) + modePrefix(mode);
  };
}

/** Built-in prompt templates, by name. */
export const templates: Record<string, PromptTemplate> = {
  plain: {
    name: "plain",
    description: "completion format of the project's own models: Problem / Solution",
    render: (problem, mode) => `Problem: ${problem}\nSolution: ${modePrefix(mode)}`,
    stop: ["\nProblem:"],
  },
  "qwen25-math-tir": {
    name: "qwen25-math-tir",
    description: "chat models with the Qwen2.5-Math TIR system prompt (text mode: the CoT prompt)",
    render: chat((mode) => (mode === "text" ? COT_SYSTEM : TIR_SYSTEM)),
    stop: ["<|im_end|>", "<|endoftext|>"],
  },
  think: {
    name: "think",
    description: "reasoning chat models that think in <think>…</think> before answering",
    render: chat((mode) => (mode === "text" ? COT_SYSTEM : TIR_SYSTEM)),
    stop: ["<|im_end|>", "<|endoftext|>"],
  },
};

/**
 * Loads a template by name, or from a JSON file `{ "prompt": "...{problem}...{prefix}",
 * "stop": [...] }` where `{prefix}` is the mode's opening words.
 */
export async function loadTemplate(nameOrPath: string): Promise<PromptTemplate> {
  const builtIn = templates[nameOrPath];
  if (builtIn) return builtIn;
  if (!nameOrPath.endsWith(".json")) {
    throw new RangeError(
      `Cannot load prompt template "${nameOrPath}": unknown name (known: ${
        Object.keys(templates).join(", ")
      }; or a .json file)`,
    );
  }
  let spec: { prompt?: unknown; stop?: unknown };
  try {
    spec = JSON.parse(await Deno.readTextFile(nameOrPath));
  } catch (error) {
    throw new Error(
      `Cannot load prompt template: ${(error as Error).message.split("\n")[0]} (${nameOrPath})`,
    );
  }
  if (typeof spec.prompt !== "string" || !spec.prompt.includes("{problem}")) {
    throw new TypeError(
      `Cannot load prompt template: "prompt" must be a string containing {problem} (${nameOrPath})`,
    );
  }
  const prompt = spec.prompt;
  const stop = Array.isArray(spec.stop) ? spec.stop.map(String) : [];
  return {
    name: nameOrPath,
    description: `custom template from ${nameOrPath}`,
    render: (problem, mode) =>
      prompt.replaceAll("{problem}", problem).replaceAll("{prefix}", modePrefix(mode)),
    stop,
  };
}
