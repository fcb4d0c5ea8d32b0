import { outputBlock, trailingCodeBlock } from "./code_block.ts";
import { execOutputText } from "./exec_output.ts";
import type { CodeBlock } from "./code_block.ts";
import type { ExecResult } from "./types.ts";

/**
 * How a TIR loop reads the model and feeds tool output back: which generated text asks for an
 * execution, how the output is appended, and what happens when the call budget runs out.
 */
export interface TirSemantics {
  /** The code block to run after a generation step, or undefined when the trajectory ends. */
  codeToRun(step: { text: string; stop?: string }): CodeBlock | undefined;
  /** The completion so far with a cell's output appended. */
  appendOutput(completion: string, result: ExecResult): string;
  /**
   * When set, a trajectory ends right after its last allowed code cell, with this note appended.
   * When absent, it goes on generating with code no longer executed.
   */
  limitNote?: string;
}

/** The stop string that ends a generation step where the model expects tool output. */
export const OUTPUT_FENCE = "```output";

/** The semantics names, as `--exec-semantics` takes them. */
export const TIR_SEMANTICS = ["tocode", "qwen"] as const;

/** A semantics name. */
export type TirSemanticsName = typeof TIR_SEMANTICS[number];

/** The registry of TIR semantics. */
export const tirSemantics: Record<TirSemanticsName, TirSemantics> = {
  // tocode: a step that stopped at ```output after a closed code block runs it; the output is a
  // notebook's (stdout, then the error's last line or a timeout note).
  tocode: {
    codeToRun: (step) => (step.stop === OUTPUT_FENCE ? trailingCodeBlock(step.text) : undefined),
    appendOutput: (completion, result) => completion + outputBlock(execOutputText(result)),
  },
  // Qwen2.5-Math's evaluation/math_eval.py: a step whose right-stripped text ends with ``` and has
  // no "boxed" runs its last program; the output block is "\n```output\n{out}\n```\n" after the
  // stripped text, with "Done" for empty output; the 4th call ends with "Reach max function call
  // limit." (docs/remote.md cites the files).
  qwen: {
    codeToRun(step) {
      const text = step.text.trimEnd();
      if (step.text.includes("boxed") || !text.endsWith("```")) return undefined;
      return trailingCodeBlock(text);
    },
    appendOutput(completion, result) {
      const shown = qwenOutputText(result);
      return `${completion.trimEnd()}\n\`\`\`output\n${shown}\n\`\`\`\n`;
    },
    limitNote: "\nReach max function call limit.",
  },
};

/**
 * Qwen2.5-Math's `res if res else report` (evaluation/python_executor.py): stdout when the cell
 * succeeded and printed, else its report: "Done", the error's last line (what was printed before
 * an error is dropped), or "Timeout Error"; each cut to its first and last 200 characters.
 */
function qwenOutputText(result: ExecResult): string {
  const out = result.stdout.trim();
  if (result.status === "ok") return qwenTruncate(out || "Done");
  if (result.status === "timeout") return "Timeout Error";
  return qwenTruncate(execOutputText({ ...result, stdout: "" }).trim());
}

/** `PythonExecutor.truncate(s, max_length=400)`: over 400 characters, the first and last 200. */
export function qwenTruncate(text: string, maxLength = 400): string {
  const half = Math.floor(maxLength / 2);
  return text.length > maxLength ? `${text.slice(0, half)}...${text.slice(-half)}` : text;
}
