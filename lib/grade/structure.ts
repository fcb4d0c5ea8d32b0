import { braceGroup, splitTopLevel } from "./braces.ts";

/** One end-pair of an interval. */
export interface IntervalPart {
  low: string;
  high: string;
  lowClosed: boolean;
  highClosed: boolean;
}

/** The shape of a normalised answer. */
export type Structure =
  | { kind: "scalar"; text: string }
  | { kind: "tuple"; items: string[] }
  | { kind: "set"; items: string[] }
  | { kind: "interval"; parts: IntervalPart[]; variable?: string }
  | { kind: "matrix"; rows: string[][] }
  | { kind: "relation"; op: string; lhs: string; rhs: string };

const RELATIONS: [RegExp, string][] = [
  [/\\leq?(?![a-zA-Z])|<=/, "<="],
  [/\\geq?(?![a-zA-Z])|>=/, ">="],
  [/\\neq?(?![a-zA-Z])/, "!="],
  [/\\lt(?![a-zA-Z])|</, "<"],
  [/\\gt(?![a-zA-Z])|>/, ">"],
];

/**
 * Reads the structure of a normalised answer: a matrix, a union of intervals, a tuple or point,
 * a set (`\{…\}`), an unordered solution list (`a, b`; `a \pm b`), a relation, or a scalar.
 */
export function parseStructure(text: string): Structure {
  const matrix = text.match(/^\\begin\{([pbvB]?matrix|array)\}(?:\{[^}]*\})?(.*)\\end\{\1\}$/);
  if (matrix) {
    const rows = matrix[2].split(/\\\\/).map((r) => r.trim()).filter((r) => r !== "");
    return { kind: "matrix", rows: rows.map((r) => r.split("&").map((c) => c.trim())) };
  }
  const pieces = splitTopLevel(text, "\\cup");
  // Square brackets, a union, or an infinite end make an interval; `(1,2)` stays a tuple.
  const intervalLike = /^\[|\]$/.test(text) || /\\infty/.test(text);
  if (pieces.length > 1 || /^[\[(].*,.*[\])]$/.test(text) && intervalLike) {
    const parts = pieces.map(intervalPart);
    if (parts.every((p) => p !== undefined)) {
      return { kind: "interval", parts: parts as IntervalPart[] };
    }
  }
  if (text.startsWith("\\{") && text.endsWith("\\}")) {
    return { kind: "set", items: splitItems(text.slice(2, -2)).flatMap(expandPm) };
  }
  if (/^\(.*\)$/.test(text) && enclosesAll(text)) {
    const items = splitItems(text.slice(1, -1));
    if (items.length > 1) return { kind: "tuple", items };
  }
  const list = splitItems(text);
  if (list.length > 1) {
    const ranges = list.map(inequalityInterval);
    if (ranges.every((r) => r !== undefined)) {
      return { kind: "interval", parts: ranges.map((r) => r!.part), variable: ranges[0]!.variable };
    }
    return { kind: "set", items: list.flatMap(expandPm) };
  }
  const pm = expandPm(text);
  if (pm.length > 1) return { kind: "set", items: pm };
  const range = inequalityInterval(text);
  if (range) return { kind: "interval", parts: [range.part], variable: range.variable };
  for (const [pattern, op] of RELATIONS) {
    const sides = splitTopLevelRegex(text, pattern);
    if (sides) return { kind: "relation", op, lhs: sides[0], rhs: sides[1] };
  }
  const eq = splitTopLevel(text, "=");
  if (eq.length === 2) return { kind: "relation", op: "=", lhs: eq[0], rhs: eq[1] };
  return { kind: "scalar", text };
}

/** A variable: one letter or a Greek-letter command. */
const VARIABLE = /^(?:[a-zA-Z]|\\[a-zA-Z]+)$/;

/**
 * `x<3` → (-∞,3); `3\le x` → [3,∞); `1<x\le 3` → (1,3]: an inequality in one variable as the
 * interval it describes.
 */
function inequalityInterval(
  text: string,
): { part: IntervalPart; variable: string } | undefined {
  const pieces: string[] = [];
  const ops: string[] = [];
  let start = 0;
  let depth = 0;
  const scan = /\\(?:leq?|geq?|lt|gt)(?![a-zA-Z])|<=|>=|<|>|[([{}\])]/g;
  for (const m of text.matchAll(scan)) {
    if ("([{".includes(m[0])) depth++;
    else if (")]}".includes(m[0])) depth--;
    else if (depth === 0) {
      pieces.push(text.slice(start, m.index).trim());
      ops.push(
        /\\le|<=/.test(m[0])
          ? "<="
          : /\\ge|>=/.test(m[0])
          ? ">="
          : m[0].includes("l") || m[0] === "<"
          ? "<"
          : ">",
      );
      start = m.index! + m[0].length;
    }
  }
  pieces.push(text.slice(start).trim());
  if (ops.length === 0 || ops.length > 2 || pieces.some((p) => p === "")) return undefined;
  const infinity = { low: "-\\infty", high: "\\infty" };
  if (ops.length === 1) {
    let [lhs, rhs] = pieces;
    let op = ops[0];
    if (!VARIABLE.test(lhs) && VARIABLE.test(rhs)) {
      [lhs, rhs] = [rhs, lhs];
      op = { "<": ">", ">": "<", "<=": ">=", ">=": "<=" }[op]!;
    }
    if (!VARIABLE.test(lhs) || mentions(rhs, lhs)) return undefined;
    const closed = op.endsWith("=");
    const part = op.startsWith("<")
      ? { low: infinity.low, high: rhs, lowClosed: false, highClosed: closed }
      : { low: rhs, high: infinity.high, lowClosed: closed, highClosed: false };
    return { part, variable: lhs };
  }
  const [a, x, b] = pieces;
  if (!VARIABLE.test(x) || mentions(a, x) || mentions(b, x)) return undefined;
  const up = ops.every((o) => o.startsWith("<"));
  const down = ops.every((o) => o.startsWith(">"));
  if (!up && !down) return undefined;
  const [low, high] = up ? [a, b] : [b, a];
  const [lowOp, highOp] = up ? ops : [ops[1], ops[0]];
  return {
    part: { low, high, lowClosed: lowOp.endsWith("="), highClosed: highOp.endsWith("=") },
    variable: x,
  };
}

function mentions(text: string, variable: string): boolean {
  return new RegExp(`(?<![a-zA-Z\\\\])${variable.replace("\\", "\\\\")}(?![a-zA-Z])`).test(text);
}

function splitItems(text: string): string[] {
  return splitTopLevel(text, ",").map((s) => s.trim()).filter((s) => s !== "");
}

/** `a\pm b` → [`a+b`, `a-b`]; `\pm a` → [`a`, `-a`]. */
function expandPm(text: string): string[] {
  const at = text.indexOf("\\pm");
  if (at < 0) return [text];
  const a = text.slice(0, at);
  const b = text.slice(at + 3);
  return a === "" ? [b, `-${b}`] : [`${a}+${b}`, `${a}-(${b})`];
}

function intervalPart(text: string): IntervalPart | undefined {
  const m = text.trim().match(/^([\[(])(.*)([\])])$/);
  if (!m) return undefined;
  const ends = splitItems(m[2]);
  if (ends.length !== 2) return undefined;
  return { low: ends[0], high: ends[1], lowClosed: m[1] === "[", highClosed: m[3] === "]" };
}

function enclosesAll(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0 && i < text.length - 1) return false;
  }
  return true;
}

function splitTopLevelRegex(text: string, pattern: RegExp): [string, string] | undefined {
  const m = text.match(pattern);
  if (!m || m.index === undefined) return undefined;
  const lhs = text.slice(0, m.index);
  const rhs = text.slice(m.index + m[0].length);
  if (!lhs || !rhs || pattern.test(rhs)) return undefined;
  return [lhs, rhs];
}

/** Unwraps `\boxed{…}` left in an answer by a nested extraction. */
export function unbox(text: string): string {
  const m = text.match(/^\\boxed\{/);
  if (!m) return text;
  const group = braceGroup(text, "\\boxed".length);
  return group && group.end === text.length ? group.content : text;
}
