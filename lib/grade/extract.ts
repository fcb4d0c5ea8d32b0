import { balanced, braceGroup } from "./braces.ts";
import { normalizeAnswer } from "./normalize.ts";
import { isBareAnswer } from "./bare_answer.ts";
import { mathSpans, numberSpans, type Span } from "./spans.ts";

/** Options of {@linkcode extractAnswer}. */
export interface ExtractOptions {
  /**
   * When nothing marks the answer (no box, no answer phrase), take the last formula or number
   * of the text, as Math-Verify's `try_extract_without_anchor` does.
   */
  lastNumber?: boolean;
}

/** Where an extracted answer came from. */
export type ExtractSource =
  | "bare"
  | "boxed"
  | "final-answer"
  | "answer-phrase"
  | "phrase"
  | "last-math"
  | "last-number";

/** An extracted answer and where it came from. */
export interface Extracted {
  answer: string;
  source: ExtractSource;
}

/**
 * Extracts the final answer from free text: a completion, or a gold answer given as text (a
 * boxed solution, `$35\%$`). The order, applied to gold and prediction alike (docs/grading.md):
 *
 * 0. `<think>…</think>` is dropped; a TIR completion is searched after its last ```output first.
 * 1. Text that is an answer already (`\frac{1}{2}`, `10\text{ inches}`, `x = 1 or x = -2`) is
 *    taken whole.
 * 2. Then Math-Verify's `parse` priorities, each tried right to left, the first candidate that
 *    reads as an answer winning: the last `\boxed{}` (boxes close together make one set),
 *    "final answer is X. I hope", GSM8K's `#### X` → "final answer … is X" → "answer: X" →
 *    "answer … X" (X a formula in `$…$`, `\(…\)`, `\[…\]`, `$$…$$`, or a number or expression
 *    after the last `=`) → the text after an answer phrase (a word answer) → the last formula
 *    or number of the text (switchable).
 *
 * A number is never read from inside a word (`QX4B` holds no 4). Only the last 50,000 characters
 * are searched.
 *
 * @example
 * ```ts
 * import { extractAnswer } from "./extract.ts";
 * if (extractAnswer("so $x = \\boxed{\\frac{1}{2}}$.")?.answer !== "\\frac{1}{2}") {
 *   throw new Error("boxed with nested braces");
 * }
 * if (extractAnswer("Answer \\( (9+1) \\)")?.answer !== "(9+1)") throw new Error("math after answer");
 * if (extractAnswer("$35\\%$")?.answer !== "35\\%") throw new Error("a gold in math mode");
 * ```
 */
export function extractAnswer(completion: string, options: ExtractOptions = {}): Extracted | null {
  // Answers sit at the end; the search runs on the main thread, so its input is bounded.
  const text = stripThinking(completion).slice(-MAX_SEARCHED);
  const lastOutput = text.lastIndexOf("```output");
  if (lastOutput >= 0) {
    const afterFence = text.indexOf("```", lastOutput + 9);
    const tail = afterFence >= 0 ? text.slice(afterFence + 3) : "";
    const found = fromText(tail, { lastNumber: false });
    if (found) return found;
  }
  return fromText(text, options);
}

/** Characters searched from the end of a text (about 12k tokens of completion). */
const MAX_SEARCHED = 50_000;

function fromText(text: string, options: ExtractOptions): Extracted | null {
  if (isBareAnswer(text)) return { answer: text.trim(), source: "bare" };
  const math = mathSpans(text);
  const numbers = numberSpans(text);
  const stages: (() => Candidate[])[] = [
    () => [...boxedCandidates(text), ...finalAnswerIs(text, math, numbers, true)],
    () => finalAnswerIs(text, math, numbers, false),
    () => afterAnswerWord(text, math, numbers, true),
    () => afterAnswerWord(text, math, numbers, false),
    () => phraseText(text),
    () => (options.lastNumber ?? true) ? unanchored(math, numbers) : [],
  ];
  // A formula that does not read must not lend a number from inside it (Math-Verify's
  // failed_latex_spans).
  const failed: Candidate[] = [];
  for (const stage of stages) {
    const candidates = stage().sort((a, b) => b.end - a.end || a.start - b.start);
    for (const c of candidates) {
      if (c.kind === "number" && failed.some((f) => c.start < f.end && c.end > f.start)) continue;
      if (readsAsAnswer(c.answer)) return { answer: c.answer, source: c.source };
      if (c.kind === "math") failed.push(c);
    }
  }
  return null;
}

interface Candidate extends Extracted {
  start: number;
  end: number;
  kind?: "math" | "number";
}

/** Whether an extracted text can be an answer (Math-Verify moves on when parsing fails). */
function readsAsAnswer(answer: string): boolean {
  const n = normalizeAnswer(answer);
  return n !== "" && balanced(n) && !/[-+*/^_=]$|^[*/^=]/.test(n);
}

/** `\boxed{…}` or `\fbox{…}`: where it starts and ends, and its content. */
interface Box {
  start: number;
  end: number;
  content: string;
}

function boxes(text: string): Box[] {
  const found: Box[] = [];
  for (const m of text.matchAll(/\\(?:boxed|fbox)(?![a-zA-Z])/g)) {
    const after = m.index! + m[0].length;
    const open = text.slice(after).search(/\S/);
    if (open < 0) continue;
    const at = after + open;
    if (text[at] === "{") {
      const group = braceGroup(text, at);
      if (group) {
        found.push({ start: m.index!, end: group.end, content: group.content.trim() });
      }
    } else {
      const bare = text.slice(at).match(/^[^\s$]+/)?.[0];
      if (bare) found.push({ start: m.index!, end: at + bare.length, content: bare });
    }
  }
  return found.filter((b) => b.content !== "");
}

/**
 * The last box, with the boxes just before it that belong to the same answer (latex2sympy2's
 * `extract_boxed_content`, mode "last"): fewer than 10 characters apart, or fewer than 70 with
 * "and", "or", "," or ";" between them. Consecutive equal boxes count once.
 */
function lastBoxGroup(text: string, all: Box[]): Box[] | undefined {
  if (all.length === 0) return undefined;
  const group = [all[all.length - 1]];
  for (let k = all.length - 2; k >= 0; k--) {
    const box = all[k];
    const later = group[0];
    const between = text.slice(box.end, later.start);
    const close = between.length < 10 ||
      (box.content !== later.content && between.length < 70 &&
        /\b(?:and|or)\b|[,;]/.test(between));
    if (!close) break;
    if (box.content !== later.content) group.unshift(box);
    else group[0] = box;
  }
  return group;
}

/** A percentage written after the answer's math (`$\boxed{28}$ pct`, `$28$ %`). */
const PERCENT_AFTER =
  /^\s*(?:\$|\\\)|\\\])?\s*(?:\\?%|[Pp]ercent(?:age)?(?![a-zA-Z])|[Pp]ct(?![a-zA-Z]))/;

function withPercent(answer: string, text: string, end: number): string {
  return PERCENT_AFTER.test(text.slice(end, end + 16)) && !/%$/.test(answer)
    ? `${answer}\\%`
    : answer;
}

/** The last `\boxed{…}` group, and GSM8K's `#### X`. */
function boxedCandidates(text: string): Candidate[] {
  const found: Candidate[] = [];
  const group = lastBoxGroup(text, boxes(text));
  if (group) {
    const last = group[group.length - 1];
    const answer = withPercent(group.map((b) => b.content).join(","), text, last.end);
    found.push({ answer, source: "boxed", start: group[0].start, end: last.end });
  }
  for (const m of text.matchAll(/####\s*([^\n]+)/g)) {
    const answer = m[1].trim().replace(/\.$/, "");
    found.push({ answer, source: "final-answer", start: m.index!, end: m.index! + m[0].length });
  }
  return found;
}

/** The formula that starts at `at` (after spaces), with the formulas joined to it by and/or. */
function mathAt(math: Span[], at: number, within: number): Span | undefined {
  return math.find((s) => s.start >= at && s.start <= at + within);
}

/**
 * Math-Verify's "final answer is X. I hope" (Minerva's format, tried with the boxes) and
 * "final answer … is X" (within 100 characters): X must follow "is" directly.
 */
function finalAnswerIs(text: string, math: Span[], numbers: Span[], minerva: boolean): Candidate[] {
  const found: Candidate[] = [];
  const anchor = minerva ? /final answer is:?\s*/gi : /final answer.{0,100}?\s+is:?\s*/gis;
  for (const m of text.matchAll(anchor)) {
    const at = m.index! + m[0].length;
    for (const span of [mathAt(math, at, 0), numbers.find((n) => n.start === at)]) {
      if (!span) continue;
      if (minerva && !/^\.?\s?I hope/.test(text.slice(span.end))) continue;
      found.push({
        answer: span.text,
        source: "final-answer",
        start: span.start,
        end: span.end,
        kind: span.kind,
      });
    }
  }
  return found;
}

/**
 * Math-Verify's "answer: X" and "answer … X": a formula starting within 50 characters of the
 * word, or a number or expression after the last `=` within 100 characters (else the first
 * within 50), not itself followed by `=`.
 */
function afterAnswerWord(text: string, math: Span[], numbers: Span[], colon: boolean): Candidate[] {
  const found: Candidate[] = [];
  for (const m of text.matchAll(colon ? /answer:/gi : /answer/gi)) {
    const at = m.index! + m[0].length;
    const formula = mathAt(math, at, 50);
    if (formula) {
      found.push({ ...formula, answer: formula.text, source: "answer-phrase" });
    }
    const line = text.slice(at).match(/^[^\n]*/)![0];
    const lastEquals = line.slice(0, 101).lastIndexOf("=");
    const candidates = numbers.filter((n) =>
      n.start >= at && n.end <= at + line.length && !/^\s*=/.test(text.slice(n.end))
    );
    const number = (lastEquals >= 0
      ? candidates.find((n) => n.start > at + lastEquals)
      : undefined) ??
      candidates.find((n) => n.start <= at + 50);
    if (number) {
      found.push({ ...number, answer: number.text, source: "answer-phrase" });
    }
  }
  return found;
}

/** Phrases that introduce an answer; the text after the last one, for word answers. */
const PHRASE = /(?:final answer is|the answer is|answer is|answer:)\s*:?\s*/i;

function phraseText(text: string): Candidate[] {
  const phrases = [
    ...text.matchAll(new RegExp(`${PHRASE.source}(.+?)(?:\\.\\s|\\.?\\s*$|\\n)`, "gim")),
  ];
  const last = phrases.at(-1);
  if (!last) return [];
  // "Final Answer: The final answer is Evelyn": the innermost phrase introduces the answer.
  let body = last[0];
  const inner = [...body.matchAll(new RegExp(PHRASE.source, "gi"))].pop()!;
  body = body.slice(inner.index! + inner[0].length);
  const answer = body.replace(/\.\s*$|\n$/, "").trim()
    .replace(/^\*\*(.*)\*\*$/, "$1") // markdown bold
    .replace(/^\$+|\$+$/g, "").replace(/^\\\(|\\\)$/g, "").trim();
  return answer
    ? [{ answer, source: "phrase", start: last.index!, end: last.index! + last[0].length }]
    : [];
}

/** Every formula and number of the text; the rightmost that reads as an answer wins. */
function unanchored(math: Span[], numbers: Span[]): Candidate[] {
  return [
    ...math.map((s) => ({ ...s, answer: s.text, source: "last-math" as const })),
    ...numbers.map((s) => ({ ...s, answer: s.text, source: "last-number" as const })),
  ];
}

/**
 * The content of the last non-empty \boxed{…} or \fbox{…} (nested braces kept); also `\boxed 5`
 * without braces. Undefined when there is none.
 */
export function lastBoxed(text: string): string | undefined {
  return boxes(text).at(-1)?.content;
}

/** Drops reasoning in `<think>…</think>`; an unclosed `<think>` hides everything after it. */
export function stripThinking(text: string): string {
  const close = text.lastIndexOf("</think>");
  if (close >= 0) return text.slice(close + "</think>".length);
  const open = text.indexOf("<think>");
  return open >= 0 ? text.slice(0, open) : text;
}
