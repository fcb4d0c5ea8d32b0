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
  | { kind: "interval"; parts: IntervalPart[] }
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
  if (pieces.length > 1 || /^[\[(].*,.*[\])]$/.test(text) && /^\[|\]$/.test(text)) {
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
  if (list.length > 1) return { kind: "set", items: list.flatMap(expandPm) };
  const pm = expandPm(text);
  if (pm.length > 1) return { kind: "set", items: pm };
  for (const [pattern, op] of RELATIONS) {
    const sides = splitTopLevelRegex(text, pattern);
    if (sides) return { kind: "relation", op, lhs: sides[0], rhs: sides[1] };
  }
  const eq = splitTopLevel(text, "=");
  if (eq.length === 2) return { kind: "relation", op: "=", lhs: eq[0], rhs: eq[1] };
  return { kind: "scalar", text };
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
