import { UNIT_WORDS } from "./normalize.ts";

/** Words an answer may hold besides math: list connectors and percent words. */
const ANSWER_WORDS = new Set([
  "and",
  "or",
  "percent",
  "percentage",
  "pct",
  ...UNIT_WORDS.flatMap((w) => w.split(" ")),
]);

/** Two-letter words of prose; other two-letter runs (`ab`, `qr`) are products of variables. */
const PROSE_PAIRS = new Set([
  "is",
  "it",
  "so",
  "we",
  "to",
  "of",
  "in",
  "on",
  "at",
  "if",
  "as",
  "an",
  "be",
  "by",
  "my",
  "me",
  "do",
  "us",
  "no",
]);

/** Math delimiters, boxes and answer phrases: what marks an answer inside a text. */
const MARKER = /(?<!\\)\$|\\\(|\\\[|\\(?:boxed|fbox)(?![a-zA-Z])|answer|####/i;

/**
 * Whether a text is an answer already, to be taken whole rather than searched: no math
 * delimiters, box or answer phrase, and no prose: outside LaTeX commands and `\text{…}` it
 * holds no word but list connectors ("and", "or"), percent words, units and products of two
 * variables (`qr`), unless it is one word alone (`Evelyn`). Gold answers of the benchmarks are all of this kind.
 *
 * @example
 * ```ts
 * import { isBareAnswer } from "./bare_answer.ts";
 * if (!isBareAnswer("10 \\text{ inches}") || !isBareAnswer("x = 1 or x = -2")) throw new Error("bare");
 * if (isBareAnswer("so we get 12 apples") || isBareAnswer("The answer is $5$")) throw new Error("prose");
 * ```
 */
export function isBareAnswer(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === "" || MARKER.test(trimmed)) return false;
  if (/^[A-Za-z]+$/.test(trimmed)) return true;
  const outsideCommands = trimmed
    .replace(/\\(?:text\w*|mbox|math\w+|operatorname|begin|end)\s*\{[^{}]*\}/g, " ")
    .replace(/\\[a-zA-Z]+/g, " ");
  const words = outsideCommands.match(/[A-Za-z]{2,}/g) ?? [];
  return words.every((w) =>
    ANSWER_WORDS.has(w.toLowerCase()) || (w.length === 2 && !PROSE_PAIRS.has(w.toLowerCase()))
  );
}
