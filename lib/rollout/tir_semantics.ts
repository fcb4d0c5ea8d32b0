import { outputBlock, trailingCodeBlock } from "./code_block.ts";
import { execOutputText } from "./exec_output.ts";
import type { CodeBlock } from "./code_block.ts";
import type { ExecSemantics } from "../sandbox/options.ts";
import type { ExecResult } from "../sandbox/types.ts";

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

/**
 * The registry of TIR semantics, by `--exec-semantics` (the sandbox runs the cells the same way).
 */
export const tirSemantics: Record<ExecSemantics, TirSemantics> = {
  // notebook: a step that stopped at ```output after a closed code block runs it; the output is
  // a notebook's (stdout, then the error's last line or a timeout note).
  notebook: {
    codeToRun: (step) => (step.stop === OUTPUT_FENCE ? trailingCodeBlock(step.text) : undefined),
    appendOutput: (completion, result) => completion + outputBlock(execOutputText(result)),
  },
  // Qwen2.5-Math's evaluation/math_eval.py: a step whose right-stripped text ends with ``` and has
  // no "boxed" runs its last program; the output block is "\n```output\n{out}\n```\n" after the
  // stripped text, where {out} is their executor's own text (the sandbox's qwen semantics: stdout
  // or "Done", the error's last line, "Timeout Error", cut to 400 characters); the 4th call ends
  // with "Reach max function call limit." (docs/remote.md cites the files).
  qwen: {
    codeToRun(step) {
      const text = step.text.trimEnd();
      if (step.text.includes("boxed") || !text.endsWith("```")) return undefined;
      return trailingCodeBlock(text);
    },
    appendOutput: (completion, result) =>
      `${completion.trimEnd()}\n\`\`\`output\n${execOutputText(result)}\n\`\`\`\n`,
    limitNote: "\nReach max function call limit.",
  },
};
