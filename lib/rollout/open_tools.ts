import { createGrader, type Grader } from "../grade/mod.ts";
import {
  loadPolicy,
  loadTokenizer,
  parseModelSpec,
  type Policy,
  type PolicyTokenizer,
} from "../policy/mod.ts";
import { createSandbox, type Sandbox, type SandboxFlags } from "../sandbox/mod.ts";
import type { Mode } from "./modes.ts";
import type { RolloutToolsConfig } from "./rollout_config.ts";
import type { Scorer } from "./run_rollouts.ts";
import { loadTemplate, type PromptTemplate, type RenderChat, renderPrompt } from "./templates.ts";
import { openingMessages, type RolloutPrompt } from "./tir_loop.ts";

/** The services every rollout pass shares: the sandbox pool and the grader. */
export interface RolloutServices {
  sandbox: Sandbox;
  grader: Grader;
  score: Scorer;
  close(): Promise<void>;
}

/** Options of {@linkcode openServices}. */
export type ServicesOptions =
  & Partial<Pick<RolloutToolsConfig, "sandboxWorkers" | "pythonPackages" | "prewarm">>
  & Partial<SandboxFlags>
  & { execTimeoutMs?: number };

/** Starts the sandbox pool and the grader; a scorer grades a completion against a gold answer. */
export function openServices(options: ServicesOptions = {}): RolloutServices {
  const sandbox = createSandbox({
    workers: options.sandboxWorkers,
    pythonPackages: options.pythonPackages,
    timeoutMs: options.execTimeoutMs,
    prewarm: options.prewarm,
    backend: options.sandbox,
    python: options.python,
    execSemantics: options.execSemantics,
  });
  const grader = createGrader();
  return {
    sandbox,
    grader,
    async score(gold, completion) {
      const verdict = await grader.gradeCompletion(gold, completion);
      return { answer: verdict.answer, correct: verdict.equal, reason: verdict.reason };
    },
    async close() {
      await sandbox.close();
      await grader.close();
    },
  };
}

/** Options of {@linkcode openPolicy}: the model flags, and a hook for retry messages. */
export type OpenPolicyOptions =
  & Pick<RolloutToolsConfig, "model">
  & Partial<
    Pick<RolloutToolsConfig, "servedModel" | "tokenizer" | "maxRetries" | "requestTimeoutS">
  >
  & {
    onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
  };

/**
 * Opens a policy from `--model`: a model folder (local onnx engine, with its chat template when
 * it has one) or `openai:URL` / http(s) URLs of OpenAI-compatible servers. `--tokenizer` names
 * the folder whose chat template renders prompts locally (a server then gets raw prompts).
 */
export async function openPolicy(
  spec: string | OpenPolicyOptions,
): Promise<{ policy: Policy; renderChat?: RenderChat; tokenizer?: PolicyTokenizer }> {
  const options = typeof spec === "string" ? { model: spec } : spec;
  const parsed = parseModelSpec(options.model);
  const tokenizerDir = options.tokenizer ?? (parsed.backend === "onnx" ? parsed.dir : undefined);
  // The tokenizer first: a bad --tokenizer is refused before any server is called.
  const tokenizer = tokenizerDir === undefined ? undefined : await loadTokenizer(tokenizerDir);
  if (options.tokenizer !== undefined && !tokenizer?.hasChatTemplate) {
    throw new Error(
      `Cannot use --tokenizer: its tokenizer_config.json has no chat_template (${options.tokenizer})`,
    );
  }
  const policy = await loadPolicy(options.model, {
    openai: {
      model: options.servedModel,
      maxRetries: options.maxRetries,
      timeoutMs: options.requestTimeoutS === undefined ? undefined : options.requestTimeoutS * 1000,
      onRetry: options.onRetry,
    },
  });
  return {
    policy,
    tokenizer,
    renderChat: tokenizer?.hasChatTemplate
      ? (messages) => tokenizer.applyChatTemplate(messages)
      : undefined,
  };
}

/** Everything a rollout pass needs, from the shared rollout flags; `close()` releases it all. */
export interface RolloutTools extends RolloutServices {
  policy: Policy;
  template: PromptTemplate;
  /** The chat template that renders prompts locally (the model's, or --tokenizer's), if any. */
  chatTemplate?: string;
  /**
   * What the policy continues for a problem in a mode: a string when the prompt is raw or a chat
   * template is at hand, else chat messages that the server renders.
   */
  prompt(problem: string, mode: Mode): RolloutPrompt;
  /** The model's tokenizer (the local model's, or --tokenizer's): trajectories keep token ids. */
  tokenizer?: PolicyTokenizer;
}

/**
 * What a policy continues for a problem in a mode under a template: a raw prompt as it is; chat
 * messages rendered locally when a chat template is at hand (the model's or --tokenizer's), else
 * sent as messages to a server, which renders them. Throws for a chat template with neither.
 */
export function promptBuilder(
  template: PromptTemplate,
  policy: Pick<Policy, "backend">,
  renderChat?: RenderChat,
): (problem: string, mode: Mode) => RolloutPrompt {
  return (problem, mode) => {
    const built = template.build(problem, mode);
    if (built.kind === "raw") return { kind: "text", text: built.text };
    const chat = { kind: "chat" as const, messages: built.messages, prefix: built.prefix };
    if (renderChat) {
      return {
        kind: "text",
        text: renderPrompt(built, renderChat),
        messages: openingMessages(chat),
      };
    }
    if (policy.backend === "openai") return chat;
    return { kind: "text", text: renderPrompt(built) };
  };
}

/**
 * Opens the prompt template, the policy, the sandbox pool and the grader, and checks that the
 * template can be rendered for this model (so a mismatch stops a task before it starts a run).
 */
export async function openRolloutTools(
  config: OpenPolicyOptions & ServicesOptions & { promptTemplate: string },
): Promise<RolloutTools> {
  const template = await loadTemplate(config.promptTemplate);
  const { policy, renderChat, tokenizer } = await openPolicy(config);
  const prompt = promptBuilder(template, policy, renderChat);
  try {
    prompt("1 + 1", "code");
  } catch (error) {
    await policy.close();
    throw new Error(
      `${
        (error as Error).message
      } (--prompt-template ${config.promptTemplate}, --model ${config.model})`,
    );
  }
  const services = openServices(config);
  return {
    ...services,
    policy,
    template,
    chatTemplate: renderChat ? tokenizer?.chatTemplate : undefined,
    prompt,
    tokenizer,
    async close() {
      await policy.close();
      await services.close();
    },
  };
}
