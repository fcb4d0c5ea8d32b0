import { trailingCodeBlock } from "../../rollout/code_block.ts";
import { modePrefix } from "../../rollout/templates.ts";
import type { Mode } from "../../rollout/modes.ts";
import type { Turn } from "../../store/rollouts.ts";

/** A chat message of a prompt: the template's system prompt and the problem. */
export interface PromptMessage {
  role: "system" | "user";
  content: string;
}

/** A call of the code interpreter, in the OpenAI function-calling layout chat templates render. */
export interface ToolCall {
  type: "function";
  function: { name: typeof CODE_TOOL_NAME; arguments: { code: string } };
}

/** A message of a trajectory: the model's text (with the code it ran as a tool call) or a tool's output. */
export type TrajectoryMessage =
  | { role: "assistant"; content: string; tool_calls?: ToolCall[] }
  | { role: "tool"; content: string };

/**
 * The tool name of verl's sandbox-fusion code interpreter (its tool config and the
 * `tools_kwargs` key its multi-turn recipes write); docs/export.md cites the files.
 */
export const CODE_TOOL_NAME = "code_interpreter";

/** The code interpreter's function schema, as verl's sandbox_fusion_tool_config.yaml declares it. */
export const CODE_TOOL_SCHEMA = {
  type: "function",
  function: {
    name: CODE_TOOL_NAME,
    description: "A tool for executing code.",
    parameters: {
      type: "object",
      properties: { code: { type: "string", description: "The code to execute." } },
      required: ["code"],
    },
  },
} as const;

/** Where a python block opens, as the TIR loop recognises it (lib/rollout/code_block.ts). */
const CODE_OPENING = /```(?:python|py)[ \t]*\n/g;

const CHATML =
  /^<\|im_start\|>system\n([\s\S]*?)<\|im_end\|>\n<\|im_start\|>user\n([\s\S]*?)<\|im_end\|>\n<\|im_start\|>assistant\n$/;

/**
 * The chat messages a raw prompt writes out in ChatML (system, then user, then the open assistant
 * turn, as Qwen2.5-Math's `qwen25-math-cot` prompt does), or undefined for any other raw prompt.
 *
 * @example
 * ```ts
 * import { chatMessagesOfChatml } from "./messages.ts";
 * const m = chatMessagesOfChatml("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n");
 * if (m?.[1].content !== "Q") throw new Error("not parsed");
 * ```
 */
export function chatMessagesOfChatml(prompt: string): PromptMessage[] | undefined {
  const m = CHATML.exec(prompt);
  if (!m || m[1].includes("<|im_") || m[2].includes("<|im_")) return undefined;
  return [{ role: "system", content: m[1] }, { role: "user", content: m[2] }];
}

/**
 * A trajectory as chat messages in the tool-calling layout: each generation step is an assistant
 * message; a step that ended in a code block the sandbox ran carries that code as a
 * `code_interpreter` call (the fenced block leaves its text), and the cell's output follows as a
 * `tool` message. Notes the loop appended (a call-limit message) join the tool message before
 * them. Consecutive steps with no executed code between them are one message. The first message
 * opens with the mode's trigger, since the trajectory was generated after it.
 *
 * So every assistant message holds only text the model generated, and everything the sandbox or
 * the loop inserted is in tool messages: what trainers keep out of the loss.
 */
export function trajectoryMessages(turns: readonly Turn[], mode: Mode): TrajectoryMessage[] {
  const messages: TrajectoryMessage[] = [];
  let text = modePrefix(mode);
  let open = true; // an assistant message is being written
  for (const [i, turn] of turns.entries()) {
    if (turn.kind === "text") {
      if (!open) {
        text = "";
        open = true;
      }
      text += turn.text;
    } else if (turn.kind === "code") {
      if (turn.language !== undefined && turn.language !== "python") {
        throw new TypeError(
          `Cannot export a trajectory: turn ${i} ran ${turn.language}, and the ${CODE_TOOL_NAME} tool runs python`,
        );
      }
      const opening = [...text.matchAll(CODE_OPENING)].at(-1)?.index;
      const block = trailingCodeBlock(text);
      if (!open || opening === undefined || !block || block.code !== turn.text) {
        throw new TypeError(
          `Cannot export a trajectory: the code of turn ${i} is not the block its text ends with`,
        );
      }
      messages.push({
        role: "assistant",
        content: text.slice(0, opening).trimEnd(),
        tool_calls: [{
          type: "function",
          function: { name: CODE_TOOL_NAME, arguments: { code: turn.text } },
        }],
      });
      open = false;
    } else {
      const fenced = /```output\n([\s\S]*?)\n?```\s*$/.exec(turn.text);
      const last = messages.at(-1);
      if (fenced) {
        if (open || last?.role !== "assistant" || !last.tool_calls) {
          throw new TypeError(
            `Cannot export a trajectory: the output of turn ${i} follows no executed code`,
          );
        }
        messages.push({ role: "tool", content: fenced[1] });
      } else if (last?.role === "tool" && !open) {
        last.content += turn.text;
      } else {
        throw new TypeError(
          `Cannot export a trajectory: turn ${i} is inserted text that follows no tool output`,
        );
      }
    }
  }
  if (open) messages.push({ role: "assistant", content: text });
  return messages;
}
