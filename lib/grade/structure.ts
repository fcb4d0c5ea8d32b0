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
  /** `braced` when written `\{…\}`; a bare list `1, 2` is a set too. */
  | { kind: "set"; items: string[]; braced: boolean }
  /** A union of intervals and of finite sets (`\{2\} \cup (3,8]`: `points` holds 2). */
  | { kind: "interval"; parts: IntervalPart[]; points: string[]; variable?: string }
  | { kind: "matrix"; rows: string[][] }
  /** `lhs op rhs`; a chain `x = 5+6 = 11` keeps its first and last sides (Math-Verify's rule). */
  | { kind: "relation"; op: string; lhs: string; rhs: string };

const RELATIONS: [RegExp, string][] = [
  [/\\leq?(?![a-zA-Z])|<=/, "<="],
  [/\\geq?(?![a-zA-Z])|>=/, ">="],
  [/\\neq?(?![a-zA-Z])|!=/, "!="],
  [/\\lt(?![a-zA-Z])|</, "<"],
  [/\\gt(?![a-zA-Z])|>/, ">"],
];

const MATRIX = /^\\begin\{([pbvB]?matrix|array)\}(?:\{[^}]*\})?(.*)\\end\{\1\}$/;

/**
 * Reads the structure of a normalised answer: a matrix, a union of intervals and finite sets, a
 * set (`\{…\}`, `a; b`), a tuple or point, an unordered solution list (`a, b`; `a \pm b`;
 * `x=1, x=2`), an inequality in one variable (as its interval), a relation or equation, or a
 * scalar. `x \approx 5` reads as 5, `x \in S` as S, and `m=12, n=3` as the point (12, 3)
 * (variables in alphabetical order).
 *
 * @example
 * ```ts
 * import { parseStructure } from "./structure.ts";
 * const union = parseStructure("\\{2\\}\\cup(3,8]");
 * if (union.kind !== "interval" || union.points[0] !== "2") throw new Error("union");
 * if (parseStructure("y=7").kind !== "relation") throw new Error("equations keep their sides");
 * ```
 */
export function parseStructure(text: string): Structure {
  const approx = splitTopLevel(text, "\\approx");
  if (approx.length > 1 && approx.every((p) => p !== "")) {
    // `x \approx 5` is 5; `\frac{1}{3} \approx 0.33` is the exact value before it.
    return parseStructure(VARIABLE.test(approx[0]) ? approx.at(-1)! : approx[0]);
  }
  const member = text.match(/^(?:[a-zA-Z]|\\[a-zA-Z]+)\\in(?![a-zA-Z])(.+)$/);
  if (member) return parseStructure(member[1]);
  // A matrix in brackets (`\left[\begin{array}…\end{array}\right]`) is the matrix.
  const bracketed = text.match(/^[[(](\\begin\{.*\\end\{[a-zA-Z]+\})[\])]$/);
  const matrix = (bracketed?.[1] ?? text).match(MATRIX);
  if (matrix) {
    const rows = matrix[2].split(/\\\\/).map((r) => r.trim()).filter((r) => r !== "");
    return { kind: "matrix", rows: rows.map((r) => r.split("&").map((c) => c.trim())) };
  }
  const semicolons = splitTopLevel(text, ";").map((s) => s.trim()).filter((s) => s !== "");
  if (semicolons.length > 1) return { kind: "set", items: semicolons, braced: false };
  const pieces = splitTopLevel(text, "\\cup");
  // Square brackets, a union, or an infinite end make an interval; `(1,2)` stays a tuple.
  const intervalLike = /^\[|\]$/.test(text) || /\\infty/.test(text);
  if (pieces.length > 1 || /^[\[(].*,.*[\])]$/.test(text) && intervalLike) {
    const union = unionOf(pieces);
    if (union) return union;
  }
  if (text.startsWith("\\{") && text.endsWith("\\}") && balancedSet(text)) {
    return { kind: "set", items: splitItems(text.slice(2, -2)).flatMap(expandPm), braced: true };
  }
  if (/^\(.*\)$/.test(text) && enclosesAll(text)) {
    const items = splitItems(text.slice(1, -1));
    if (items.length > 1) return { kind: "tuple", items };
  }
  const list = splitItems(text);
  if (list.length > 1) {
    const assigned = assignments(list);
    if (assigned) return assigned;
    const ranges = list.map(inequalityInterval);
    if (ranges.every((r) => r !== undefined)) {
      return {
        kind: "interval",
        parts: ranges.map((r) => r!.part),
        points: [],
        variable: ranges[0]!.variable,
      };
    }
    return { kind: "set", items: list.flatMap(expandPm), braced: false };
  }
  const pm = expandPm(text);
  if (pm.length > 1) return { kind: "set", items: pm, braced: false };
  const range = inequalityInterval(text);
  if (range) {
    return { kind: "interval", parts: [range.part], points: [], variable: range.variable };
  }
  for (const [pattern, op] of RELATIONS) {
    const sides = splitTopLevelRegex(text, pattern);
    if (sides) return { kind: "relation", op, lhs: sides[0], rhs: sides[1] };
  }
  const eq = splitTopLevel(text, "=");
  if (eq.length >= 2 && eq[0] !== "" && eq.at(-1) !== "") {
    return { kind: "relation", op: "=", lhs: eq[0], rhs: eq.at(-1)! };
  }
  return { kind: "scalar", text };
}

/**
 * Whether an equation assigns a value (`x = 5`, `(a,b) = (4,1)`, `f(x) = …`): its left side is
 * made of letters only, as Math-Verify's `is_assignment_relation` asks (no digits outside
 * subscripts, so `2x + z = 1` is an equation, not an assignment).
 */
export function isAssignment(structure: Structure): boolean {
  if (structure.kind !== "relation" || structure.op !== "=") return false;
  const lhs = structure.lhs.replace(/_\{?\w+\}?/g, "");
  return /[a-zA-Z]/.test(lhs) && !/\d|\\frac|\\sqrt/.test(lhs);
}

/** `a\{…\}` with its closing brace at the very end (not `\{1\}\cup\{2\}`). */
function balancedSet(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length - 2; i++) {
    if (text.startsWith("\\{", i)) depth++;
    else if (text.startsWith("\\}", i) && --depth === 0) return false;
  }
  return true;
}

/** `x=1, x=2` → the set {1, 2}; `y=2, x=1` → the point (1, 2); `x=-2, 1` → {-2, 1}. */
function assignments(items: string[]): Structure | undefined {
  const named = items.map((item) =>
    item.match(/^([a-zA-Z]|\\[a-zA-Z]+)(?:_\{?\w+\}?)?=([^=<>]+)$/)
  );
  const names = named.filter((m) => m !== null).map((m) => m![0].split("=")[0]);
  if (names.length === 0) return undefined;
  if (names.every((n) => n === names[0])) {
    return {
      kind: "set",
      items: named.map((m, i) => m ? m[2] : items[i]).flatMap(expandPm),
      braced: false,
    };
  }
  if (names.length === items.length && new Set(names).size === names.length) {
    const sorted = named.map((m) => m!).sort((a, b) => a[0].localeCompare(b[0]));
    return { kind: "tuple", items: sorted.map((m) => m[2]) };
  }
  return undefined;
}

/** Pieces of a union: intervals, and finite sets written `\{…\}`. */
function unionOf(pieces: string[]): Structure | undefined {
  const parts: IntervalPart[] = [];
  const points: string[] = [];
  for (const piece of pieces) {
    const p = piece.trim();
    if (p.startsWith("\\{") && p.endsWith("\\}") && pieces.length > 1) {
      points.push(...splitItems(p.slice(2, -2)));
      continue;
    }
    const part = intervalPart(p);
    if (!part) return undefined;
    parts.push(part);
  }
  return { kind: "interval", parts, points };
}

/** A variable: one letter or a Greek-letter command (not the constants \\pi and \\infty). */
export const VARIABLE = /^(?:[a-zA-Z]|\\(?!(?:pi|infty)$)[a-zA-Z]+)$/;

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
