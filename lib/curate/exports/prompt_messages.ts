import { loadTemplate, type PromptTemplate } from "../../rollout/templates.ts";
import { chatMessagesOfChatml, type PromptMessage } from "./messages.ts";

/**
 * The chat messages of a problem's `auto` prompt (the one that leaves the code decision to the
 * model): the template's own, or those a raw prompt writes out in ChatML. Throws for a raw
 * prompt that is not ChatML: it has no system and user messages to give a chat trainer.
 * `what` names what is being exported, for the message.
 */
export function autoPromptMessages(
  template: PromptTemplate,
  problem: string,
  what: string,
): PromptMessage[] {
  const built = template.build(problem, "auto");
  if (built.kind === "chat") {
    return built.messages.map((m) => {
      if (m.role !== "system" && m.role !== "user") {
        throw new TypeError(
          `Cannot export ${what}: prompt template "${template.name}" opens with a ${m.role} message`,
        );
      }
      return { role: m.role, content: m.content };
    });
  }
  const parsed = chatMessagesOfChatml(built.text);
  if (!parsed) {
    throw new TypeError(
      `Cannot export ${what}: prompt template "${template.name}" writes a raw prompt that is not a ChatML conversation, and the schema needs chat messages; use a chat template (e.g. --prompt-template qwen25-math-tir), or the tocode schema`,
    );
  }
  return parsed;
}

/**
 * Refuses, before any rollout is spent, to export in a chat schema what a template cannot give
 * as chat messages.
 */
export async function checkTemplateExportable(templateName: string, what: string): Promise<void> {
  autoPromptMessages(await loadTemplate(templateName), "1 + 1", what);
}
