import { createGrader, type Grader } from "../grade/mod.ts";
import { loadPolicy, loadTokenizer, type Policy } from "../policy/mod.ts";
import type { ChatMessage } from "../policy/types.ts";
import { createSandbox, type Sandbox, type SandboxFlags } from "../sandbox/mod.ts";
import type { Scorer } from "./run_rollouts.ts";
import { loadTemplate, type PromptTemplate } from "./templates.ts";

/** The services every rollout pass shares: the sandbox pool and the grader. */
export interface RolloutServices {
  sandbox: Sandbox;
  grader: Grader;
  score: Scorer;
  close(): Promise<void>;
}

/** Options of {@linkcode openServices}. */
export interface ServicesOptions extends Partial<SandboxFlags> {
  sandboxWorkers?: number;
  pythonPackages?: string;
  execTimeoutMs?: number;
  /** Import sympy in every Python worker at start. */
  prewarm?: boolean;
}

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

/**
 * Opens a policy from `--model`: a model folder (local onnx engine, with its chat template when
 * it has one) or `openai:URL` / http(s) URLs of OpenAI-compatible servers.
 */
export async function openPolicy(
  spec: string,
): Promise<{ policy: Policy; renderChat?: (messages: ChatMessage[]) => string }> {
  const target = spec.replace(/^openai:/, "");
  const policy = await loadPolicy(target);
  if (/^https?:\/\//.test(target)) return { policy };
  const tokenizer = await loadTokenizer(target);
  return {
    policy,
    renderChat: tokenizer.hasChatTemplate
      ? (messages) => tokenizer.applyChatTemplate(messages)
      : undefined,
  };
}

/** Everything a rollout pass needs, from the shared rollout flags; `close()` releases it all. */
export interface RolloutTools extends RolloutServices {
  policy: Policy;
  template: PromptTemplate;
  renderChat?: (messages: ChatMessage[]) => string;
}

/** Opens the policy, the sandbox pool, the grader and the prompt template. */
export async function openRolloutTools(
  args: ServicesOptions & { model: string; promptTemplate: string },
): Promise<RolloutTools> {
  const template = await loadTemplate(args.promptTemplate);
  const { policy, renderChat } = await openPolicy(args.model);
  const services = openServices(args);
  return {
    ...services,
    policy,
    template,
    renderChat,
    async close() {
      await policy.close();
      await services.close();
    },
  };
}
