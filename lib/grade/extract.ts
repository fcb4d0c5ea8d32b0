import { braceGroup } from "./braces.ts";

/** Options of {@linkcode extractAnswer}. */
export interface ExtractOptions {
  /** Fall back to the last number of the text when nothing else marks the answer. */
  lastNumber?: boolean;
}

/** Where an extracted answer came from. */
export type ExtractSource = "boxed" | "phrase" | "last-number";

/**
 * Extracts the final answer from a completion: drops `<think>…</think>`; for TIR completions
 * looks after the last ```output block first; takes the last `\boxed{…}` / `\fbox{…}` (nested
 * braces kept); else "final answer is …" / "answer: …"; else the last number (switchable).
 *
 * @example
 * ```ts
 * import { extractAnswer } from "./extract.ts";
 * const a = extractAnswer("so $x = \\boxed{\\frac{1}{2}}$.");
 * if (a?.answer !== "\\frac{1}{2}") throw new Error("boxed with nested braces");
 * ```
 */
export function extractAnswer(
  completion: string,
  options: ExtractOptions = {},
): { answer: string; source: ExtractSource } | null {
  const text = stripThinking(completion);
  const lastOutput = text.lastIndexOf("```output");
  if (lastOutput >= 0) {
    const afterFence = text.indexOf("```", lastOutput + 9);
    const tail = afterFence >= 0 ? text.slice(afterFence + 3) : "";
    const found = fromText(tail, { lastNumber: false });
    if (found) return found;
  }
  return fromText(text, options);
}

/** Phrases that introduce a final answer ("####" is GSM8K's). */
const PHRASE = /(?:final answer is|the answer is|answer is|answer:|####)\s*:?\s*/i;

function fromText(
  text: string,
  options: ExtractOptions,
): { answer: string; source: ExtractSource } | null {
  const boxed = lastBoxed(text);
  if (boxed !== undefined) return { answer: boxed, source: "boxed" };
  const phrases = text.match(new RegExp(`${PHRASE.source}(.+?)(?:\\.\\s|\\.?\\s*$|\\n)`, "gim"));
  if (phrases) {
    let last = phrases[phrases.length - 1];
    // "Final Answer: The final answer is 5": the innermost phrase introduces the answer.
    const inner = [...last.matchAll(new RegExp(PHRASE.source, "gi"))].pop()!;
    last = last.slice(inner.index! + inner[0].length);
    const cleaned = last.replace(/\.\s*$|\n$/, "").trim()
      .replace(/^\*\*(.*)\*\*$/, "$1") // markdown bold
      .replace(/^\$+|\$+$/g, "").replace(/^\\\(|\\\)$/g, "").trim();
    if (cleaned) return { answer: cleaned, source: "phrase" };
  }
  if (options.lastNumber ?? true) {
    const numbers = text.match(/-?\d[\d,]*(?:\.\d+)?(?:\/\d+)?/g);
    if (numbers) return { answer: numbers[numbers.length - 1], source: "last-number" };
  }
  return null;
}

/**
 * The content of the last non-empty \boxed{…} or \fbox{…} (nested braces kept); also `\boxed 5`
 * without braces. Undefined when there is none.
 */
export function lastBoxed(text: string): string | undefined {
  const starts = [...text.matchAll(/\\(?:boxed|fbox)(?![a-zA-Z])/g)].map((m) => m.index!);
  for (let k = starts.length - 1; k >= 0; k--) {
    const rest = text.slice(starts[k]).replace(/^\\(?:boxed|fbox)/, "");
    const open = rest.search(/\S/);
    if (open < 0) continue;
    const content = rest[open] === "{"
      ? braceGroup(rest, open)?.content
      : rest.slice(open).match(/^[^\s$]+/)?.[0];
    if (content !== undefined && content.trim() !== "") return content.trim();
  }
  return undefined;
}

/** Drops reasoning in `<think>…</think>`; an unclosed `<think>` hides everything after it. */
export function stripThinking(text: string): string {
  const close = text.lastIndexOf("</think>");
  if (close >= 0) return text.slice(close + "</think>".length);
  const open = text.indexOf("<think>");
  return open >= 0 ? text.slice(0, open) : text;
}
