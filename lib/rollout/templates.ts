import type { ChatMessage } from "../policy/types.ts";
import { CODE_TRIGGER, type Mode, TEXT_TRIGGER } from "./modes.ts";

/**
 * What a template makes of a problem in a mode: chat messages that the model's chat template
 * renders, followed by the assistant's opening words (`prefix`), or a raw prompt string.
 */
export type TemplatePrompt =
  | { kind: "chat"; messages: ChatMessage[]; prefix: string }
  | { kind: "raw"; text: string };

/** Renders chat messages with a model's chat template, ending with the assistant's turn. */
export type RenderChat = (messages: ChatMessage[]) => string;

/** Turns a problem and a mode into what a policy continues. */
export interface PromptTemplate {
  name: string;
  description: string;
  /** The prompt of a problem in a mode. */
  build(problem: string, mode: Mode): TemplatePrompt;
  /** Extra stop strings (e.g. a chat end-of-turn marker the tokenizer does not treat as EOS). */
  stop: string[];
}

/** The assistant's opening words per mode: forced modes start with their trigger. */
export function modePrefix(mode: Mode): string {
  if (mode === "code") return `${CODE_TRIGGER}\n`;
  if (mode === "text") return `${TEXT_TRIGGER}\n`;
  return "";
}

/**
 * The prompt as one string: a raw prompt as it is, chat messages through `renderChat` (the model's
 * chat template, rendered locally) followed by the prefix. Throws when a chat prompt has no chat
 * template to render it.
 */
export function renderPrompt(prompt: TemplatePrompt, renderChat?: RenderChat): string {
  if (prompt.kind === "raw") return prompt.text;
  if (!renderChat) {
    throw new Error(
      "Cannot render a chat prompt: no chat template (give --tokenizer DIR with a tokenizer_config.json, serve the model behind /v1/chat/completions, or use --prompt-template plain)",
    );
  }
  return renderChat(prompt.messages) + prompt.prefix;
}

/** A chat template of a system prompt per mode, then the problem as the user's message. */
function chatTemplate(
  spec: Omit<PromptTemplate, "build">,
  system: (mode: Mode) => string,
): PromptTemplate {
  return {
    ...spec,
    build: (problem, mode) => ({
      kind: "chat",
      messages: [{ role: "system", content: system(mode) }, { role: "user", content: problem }],
      prefix: modePrefix(mode),
    }),
  };
}

/**
 * Qwen2.5-Math's evaluation prompts (evaluation/utils.py PROMPT_TEMPLATES and construct_prompt;
 * docs/remote.md cites the files), byte for byte: string templates with the ChatML layout written
 * out, not the tokenizer's chat template; the question is stripped as their parse_question does.
 */
const QWEN_COT_PROMPT =
  "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\n{input}<|im_end|>\n<|im_start|>assistant\n";
/**
 * The `tool-integrated` prompt: ToRA's guidelines, then `Question: … Solution:`. Their source
 * writes the guidelines in a plain (not raw) Python string, so `\boxed` there is a backspace
 * character followed by "oxed"; it is kept, since that is what their model reads.
 */
const QWEN_TIR_PROMPT = [
  "Integrate step-by-step reasoning and Python code to solve math problems using the following guidelines:",
  "",
  "- Analyze the question and write functions to solve the problem; the function should not take any arguments.",
  "- Present the final result in LaTeX using a `\x08oxed{}` without any units.",
  "- Utilize the `pi` symbol and `Rational`` from Sympy for $\\pi$ and fractions, and simplify all fractions and square roots without converting them to decimal values.",
  "",
  "Here are some examples you may refer to:",
  "",
  "---",
  "",
  "Question: {input}",
  "",
  "Solution:",
  "",
].join("\n");
const QWEN_STOPS = ["</s>", "<|im_end|>", "<|endoftext|>"];

const TIR_SYSTEM =
  "Please integrate natural language reasoning with programs to solve the problem above, and put your final answer within \\boxed{}.";
const COT_SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";
const CHAT_STOPS = ["<|im_end|>", "<|endoftext|>"];

/** Built-in prompt templates, by name. */
export const templates: Record<string, PromptTemplate> = {
  plain: {
    name: "plain",
    description: "completion format of the project's own models: Problem / Solution",
    build: (problem, mode) => ({
      kind: "raw",
      text: `Problem: ${problem}\nSolution: ${modePrefix(mode)}`,
    }),
    stop: ["\nProblem:"],
  },
  "qwen25-math-tir": chatTemplate({
    name: "qwen25-math-tir",
    description: "chat models with the Qwen2.5-Math TIR system prompt (text mode: the CoT prompt)",
    stop: CHAT_STOPS,
  }, (mode) => (mode === "text" ? COT_SYSTEM : TIR_SYSTEM)),
  "qwen25-math-cot": {
    name: "qwen25-math-cot",
    description: "Qwen2.5-Math's own CoT prompt (its harness's qwen25-math-cot), exact",
    build: (problem, mode) => ({
      kind: "raw",
      text: QWEN_COT_PROMPT.replace("{input}", () => problem.trim()) + modePrefix(mode),
    }),
    stop: QWEN_STOPS,
  },
  "tool-integrated": {
    name: "tool-integrated",
    description: "Qwen2.5-Math's own TIR prompt (its harness's tool-integrated, ToRA-style), exact",
    build: (problem, mode) => ({
      kind: "raw",
      text: QWEN_TIR_PROMPT.replace("{input}", () => problem.trim()) + modePrefix(mode),
    }),
    stop: [...QWEN_STOPS, "\n\n---", "```output"],
  },
  think: chatTemplate({
    name: "think",
    description: "reasoning chat models that think in <think>…</think> before answering",
    stop: CHAT_STOPS,
  }, (mode) => (mode === "text" ? COT_SYSTEM : TIR_SYSTEM)),
};

/**
 * Loads a template by name, or from a JSON file: `{ "prompt": "...{problem}...{prefix}" }` for a
 * raw prompt (`{prefix}` is the mode's opening words), or `{ "system": "...", "user": "...{problem}" }`
 * for chat messages; either with an optional `"stop": [...]`.
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
  let spec: { prompt?: unknown; system?: unknown; user?: unknown; stop?: unknown };
  try {
    spec = JSON.parse(await Deno.readTextFile(nameOrPath));
  } catch (error) {
    throw new Error(
      `Cannot load prompt template: ${(error as Error).message.split("\n")[0]} (${nameOrPath})`,
    );
  }
  const stop = Array.isArray(spec.stop) ? spec.stop.map(String) : [];
  const base = { name: nameOrPath, description: `custom template from ${nameOrPath}`, stop };
  if (typeof spec.user === "string" && spec.user.includes("{problem}")) {
    const user = spec.user;
    const system = typeof spec.system === "string" ? spec.system : undefined;
    return {
      ...base,
      build: (problem, mode) => ({
        kind: "chat",
        messages: [
          ...(system === undefined ? [] : [{ role: "system" as const, content: system }]),
          { role: "user", content: user.replaceAll("{problem}", problem) },
        ],
        prefix: modePrefix(mode),
      }),
    };
  }
  if (typeof spec.prompt !== "string" || !spec.prompt.includes("{problem}")) {
    throw new TypeError(
      `Cannot load prompt template: "prompt" (or "user" for chat) must be a string containing {problem} (${nameOrPath})`,
    );
  }
  const prompt = spec.prompt;
  return {
    ...base,
    build: (problem, mode) => ({
      kind: "raw",
      text: prompt.replaceAll("{problem}", problem).replaceAll("{prefix}", modePrefix(mode)),
    }),
  };
}
