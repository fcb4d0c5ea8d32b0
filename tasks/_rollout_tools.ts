import { createGrader } from "../lib/grade/mod.ts";
import { loadPolicy, loadTokenizer, type Policy } from "../lib/policy/mod.ts";
import type { ChatMessage } from "../lib/policy/types.ts";
import {
  type CodeRunner,
  loadTemplate,
  type PromptTemplate,
  type Scorer,
} from "../lib/rollout/mod.ts";
import { createSandbox } from "../lib/sandbox/mod.ts";

/** What a rollout pass needs, opened from the shared rollout flags. */
export interface RolloutTools {
  policy: Policy;
  sandbox: CodeRunner;
  score: Scorer;
  template: PromptTemplate;
  renderChat?: (messages: ChatMessage[]) => string;
  close(): Promise<void>;
}

/**
 * Opens the policy (a model folder or OpenAI-compatible URLs), the sandbox pool, the grader and
 * the prompt template; `close()` releases all of them.
 */
export async function openRolloutTools(args: {
  model?: string;
  promptTemplate: string;
  sandboxWorkers?: number;
  pythonPackages?: string;
  execTimeoutMs: number;
  prewarm?: boolean;
}): Promise<RolloutTools> {
  const spec = args.model!.replace(/^openai:/, "");
  const template = await loadTemplate(args.promptTemplate);
  const policy = await loadPolicy(spec);
  const local = !/^https?:\/\//.test(spec);
  const renderChat = local
    ? await loadTokenizer(spec).then((t) =>
      t.hasChatTemplate ? (messages: ChatMessage[]) => t.applyChatTemplate(messages) : undefined
    )
    : undefined;
  const sandbox = createSandbox({
    workers: args.sandboxWorkers,
    pythonPackages: args.pythonPackages,
    timeoutMs: args.execTimeoutMs,
    prewarm: args.prewarm,
  });
  const grader = createGrader();
  const score: Scorer = async (gold, completion) => {
    const verdict = await grader.gradeCompletion(gold, completion);
    return { answer: verdict.answer, correct: verdict.equal, reason: verdict.reason };
  };
  return {
    policy,
    sandbox,
    score,
    template,
    renderChat,
    async close() {
      await policy.close();
      await sandbox.close();
      await grader.close();
    },
  };
}
