import type { Item } from "./skill.ts";

/**
 * Length budgets in characters, so that prompt and solution fit the context of a small
 * character-level model: a derivation longer than `text` is replaced by a shorter form.
 */
export const limits = { problem: 120, text: 320, tir: 250 } as const;

/** The closing sentence of every solution, as the TIR loop's graders read it. */
export function answerSentence(answer: string): string {
  return `The answer is \\boxed{${answer}}.`;
}

/**
 * The solutions of an item: the most detailed step-by-step text that fits the budget, and the
 * TIR solution in the loop's own format (a python code block, its output block, then the
 * boxed answer).
 *
 * @example
 * ```ts
 * import { renderSolutions } from "./solutions.ts";
 * const { text, tir } = renderSolutions({
 *   problem: "What is 2 + 3?", answer: 5n, steps: ["2+3=5 -> 5."], code: "print(2 + 3)", key: "k",
 * });
 * const fence = "`".repeat(3);
 * if (!text.endsWith("\\boxed{5}.") || !tir.includes(`${fence}output\n5\n${fence}`)) throw new Error();
 * ```
 */
export function renderSolutions(item: Item): { text: string; tir: string } {
  const answer = item.answer.toString();
  const closing = answerSentence(answer);
  if (item.problem.length > limits.problem) {
    throw new RangeError(
      `Cannot write a synthetic problem: it is ${item.problem.length} characters, over ${limits.problem} (${item.problem})`,
    );
  }
  const text = item.steps.map((s) => `${s}\n${closing}`).find((t) => t.length <= limits.text);
  if (text === undefined) {
    throw new RangeError(
      `Cannot write a text solution: every form is over ${limits.text} characters (${item.problem})`,
    );
  }
  const tir = `\`\`\`python\n${item.code}\n\`\`\`\n\`\`\`output\n${answer}\n\`\`\`\n${closing}`;
  if (tir.length > limits.tir) {
    throw new RangeError(
      `Cannot write a TIR solution: it is ${tir.length} characters, over ${limits.tir} (${item.problem})`,
    );
  }
  return { text, tir };
}
