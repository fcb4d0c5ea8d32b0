/**
 * Qwen2.5-Math's tool-integrated evaluation runs a model's code its own way, and so does ToRA's,
 * from which it comes: each new code block is run as one program made of the earlier blocks and
 * the new one, in a fresh interpreter. These functions rebuild that program the way their
 * `extract_program` does (QwenLM/Qwen2.5-Math, evaluation/trajectory.py); the program runs with
 * `_qwen_run` (_python_cells.ts, after their evaluation/python_executor.py). docs/sandbox.md cites
 * the commits.
 */

/** One earlier cell of a session: its code and the text the model was shown for it. */
export interface ShownCell {
  code: string;
  shown: string;
}

const FAILURE_WORDS = ["error", "exception", "no algorithms", "cannot", "nan", "..."];

/**
 * Their `is_execution_success`: an output naming none of these words (any case) counts as a
 * success. "nan" and "..." are theirs too: a cut output counts as a failure.
 *
 * @example
 * ```ts
 * import { qwenSucceeded } from "./qwen_semantics.ts";
 * if (!qwenSucceeded("42") || qwenSucceeded("NameError: name 'x' is not defined")) {
 *   throw new Error("wrong verdict");
 * }
 * ```
 */
export function qwenSucceeded(output: string): boolean {
  const text = output.trim().toLowerCase();
  return FAILURE_WORDS.every((word) => !text.includes(word));
}

/**
 * Their `extract_program` over a trajectory: the earlier cells whose output succeeded, whole; of
 * the others only their lines that start with `import` or `from`, put before the first program;
 * the new cell last. Lines starting with `print(` are dropped from every program but the last.
 *
 * @example
 * ```ts
 * import { qwenProgram } from "./qwen_semantics.ts";
 * const program = qwenProgram([{ code: "x = 6\nprint(x)\n", shown: "6" }], "print(x * 7)\n");
 * if (program !== "x = 6\n\nprint(x * 7)\n") throw new Error(JSON.stringify(program));
 * ```
 */
export function qwenProgram(earlier: ShownCell[], code: string): string {
  const programs: string[] = [];
  const imports: string[] = [];
  for (const cell of earlier) {
    if (qwenSucceeded(cell.shown)) programs.push(cell.code);
    else {
      for (const line of cell.code.split("\n")) {
        if (line.startsWith("import") || line.startsWith("from")) imports.push(line);
      }
    }
  }
  programs.push(code);
  if (imports.length > 0) programs[0] = imports.join("\n") + "\n" + programs[0];
  for (let i = 0; i < programs.length - 1; i++) {
    programs[i] = programs[i].split("\n").filter((line) => !line.trim().startsWith("print("))
      .join("\n");
  }
  return programs.join("\n");
}

/** What their harness shows when a program overran its time. */
export const QWEN_TIMEOUT_TEXT = "Timeout Error";
