import { withDefaults } from "../util/with_defaults.ts";
import { normalizeAnswer } from "./normalize.ts";
import { numericEqual, proportionalByValue } from "./numeric.ts";
import { comparisonPlaces, roundsToGold } from "./precision.ts";
import { parseRational, rationalToNumber, sameRational } from "./rational.ts";
import {
  type IntervalPart,
  isAssignment,
  parseStructure,
  type Structure,
  unbox,
  VARIABLE,
} from "./structure.ts";
import { proportionalEquations, symbolicEqual } from "./symbolic.ts";

/** A grading verdict: equal or not, and which rule decided (or why none matched). */
export interface Verdict {
  equal: boolean;
  reason: string;
  gold_norm: string;
  pred_norm: string;
}

/** Options of {@linkcode isEquivalent}. */
export interface EquivalenceOptions {
  /**
   * Relative tolerance for a decimal prediction against an exact gold (`\pi` and `3.14159`).
   * A decimal gold is compared at its own precision instead; exact values get none.
   */
  tolerance?: number;
  /** Allow the computer-algebra step (the expensive one; off for the fast path). */
  symbolic?: boolean;
}

/** Defaults of {@linkcode EquivalenceOptions}. */
export const equivalenceDefaults = { tolerance: 1e-4, symbolic: true };

/** Raised on the fast path when only the symbolic step could decide. */
export class NeedsSymbolic extends Error {
  override name = "NeedsSymbolic";
  /** The normalised pair, for a verdict given without the symbolic step (a timeout). */
  norms = { gold_norm: "", pred_norm: "" };
}

/**
 * Decides whether a predicted answer equals the gold one, cheapest rule first: exact after
 * normalisation → exact rationals → float evaluation (a relative tolerance for decimals, none
 * between exact expressions, fixed points for variables) → symbolic (compute engine, random
 * points), applied element-wise through structures (tuples, sets, solution lists, ±, intervals
 * and unions, inequalities, matrices and vectors, equations). Never throws on malformed input:
 * the verdict says why it is not equal. With `symbolic: false` it throws {@linkcode NeedsSymbolic}
 * where only the compute engine could decide.
 *
 * @example
 * ```ts
 * import { isEquivalent } from "./equivalent.ts";
 * const v = isEquivalent("\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\frac{\\pi}{2})");
 * if (!v.equal) throw new Error(v.reason);
 * if (isEquivalent("\\frac{1}{2004!}", "\\frac{1}{2006!}").equal) throw new Error("false positive");
 * ```
 */
export function isEquivalent(
  gold: string,
  pred: string,
  options: EquivalenceOptions = {},
): Verdict {
  const opts = withDefaults(equivalenceDefaults, options);
  let goldNorm: string;
  let predNorm: string;
  try {
    goldNorm = normalizeAnswer(unbox(gold));
    predNorm = normalizeAnswer(unbox(pred));
  } catch (error) {
    const reason = `not comparable: ${(error as Error).message.split("\n")[0]}`;
    return { equal: false, reason, gold_norm: gold, pred_norm: pred };
  }
  const verdict = (equal: boolean, reason: string): Verdict => ({
    equal,
    reason,
    gold_norm: goldNorm,
    pred_norm: predNorm,
  });
  if (predNorm === "") return verdict(false, "empty prediction");
  if (goldNorm === predNorm) return verdict(true, "exact match after normalisation");
  try {
    const result = structuresEqual(parseStructure(goldNorm), parseStructure(predNorm), opts);
    return verdict(result.equal, result.reason);
  } catch (error) {
    if (error instanceof NeedsSymbolic) {
      error.norms = { gold_norm: goldNorm, pred_norm: predNorm };
      throw error;
    }
    return verdict(false, `not comparable: ${(error as Error).message.split("\n")[0]}`);
  }
}

type Opts = typeof equivalenceDefaults;
type Result = { equal: boolean; reason: string };

const yes = (reason: string): Result => ({ equal: true, reason });
const no = (reason: string): Result => ({ equal: false, reason });

/**
 * Compares two structures, gold first: the comparison is not symmetric where Math-Verify's is
 * not (grader.py `sympy_expr_eq`): an equation in the prediction is read as its value when the
 * gold is not an equation, and an assignment in the gold (`x = 5`) as its value when the
 * prediction is not an equation.
 */
function structuresEqual(g: Structure, p: Structure, opts: Opts): Result {
  const gEquation = g.kind === "relation" && g.op === "=";
  const pEquation = p.kind === "relation" && p.op === "=";
  if (pEquation && !gEquation) {
    // `x = 5` against 5; the mirrored `2x+3 = y` is worth its left side.
    const value = VARIABLE.test(p.rhs) && !VARIABLE.test(p.lhs) ? p.lhs : p.rhs;
    return prefixed("prediction's value", structuresEqual(g, parseStructure(value), opts));
  }
  if (gEquation && !pEquation && isAssignment(g)) {
    return prefixed("gold's value", structuresEqual(parseStructure(g.rhs), p, opts));
  }
  if (g.kind === "scalar" && p.kind === "scalar") return scalarsEqual(g.text, p.text, opts);
  if (g.kind !== p.kind) return mixedShapes(g, p, opts);
  switch (g.kind) {
    case "tuple":
      return ordered(g.items, (p as typeof g).items, opts, "tuple");
    case "matrix": {
      const rows = (p as typeof g).rows;
      if (rows.length !== g.rows.length || rows.some((r, i) => r.length !== g.rows[i].length)) {
        return no("matrix sizes differ");
      }
      return ordered(g.rows.flat(), rows.flat(), opts, "matrix");
    }
    case "set":
      return unordered(g.items, (p as typeof g).items, opts);
    case "interval": {
      const q = p as typeof g;
      if (g.variable && q.variable && g.variable !== q.variable) {
        return no(`different variables (${g.variable} vs ${q.variable})`);
      }
      return unions(g, q, opts);
    }
    case "relation":
      return relationsEqual(g, p as typeof g, opts);
  }
  return no("unknown shape");
}

function prefixed(what: string, r: Result): Result {
  return { equal: r.equal, reason: `${what}: ${r.reason}` };
}

/** Structures of different kinds that may still say the same thing. */
function mixedShapes(g: Structure, p: Structure, opts: Opts): Result {
  const matrix = g.kind === "matrix" ? g : p.kind === "matrix" ? p : undefined;
  const other = matrix === g ? p : g;
  if (matrix && other.kind === "tuple") {
    // A vector written as a point: one row or one column against the tuple's entries.
    const vector = matrix.rows.length === 1 || matrix.rows.every((r) => r.length === 1);
    if (!vector) return no("different shapes (matrix vs tuple)");
    const entries = matrix.rows.flat();
    return matrix === g
      ? ordered(entries, other.items, opts, "vector")
      : ordered(other.items, entries, opts, "vector");
  }
  // An open interval written with round brackets reads as a tuple: compare the two readings.
  const interval = g.kind === "interval" ? g : p.kind === "interval" ? p : undefined;
  const tuple = g.kind === "tuple" ? g : p.kind === "tuple" ? p : undefined;
  if (interval && tuple) {
    if (tuple.items.length !== 2 || interval.parts.length !== 1 || interval.points.length) {
      return no("different shapes (interval vs tuple)");
    }
    const open = { low: tuple.items[0], high: tuple.items[1], lowClosed: false, highClosed: false };
    const r = intervals([open], interval.parts, opts);
    return r.equal ? yes("open interval written as a pair") : r;
  }
  // An inequality the interval parser could not read (`-x < 2`) against one it could (`x > -2`).
  const relation = g.kind === "relation" ? g : p.kind === "relation" ? p : undefined;
  if (relation && interval) {
    const asRelation = intervalAsRelation(interval);
    if (!asRelation) return no("different shapes (relation vs interval)");
    return relation === g
      ? relationsEqual(relation, asRelation, opts)
      : relationsEqual(asRelation, relation, opts);
  }
  if (g.kind === "tuple" && p.kind === "set") {
    // Math-Verify compares a gold tuple with a predicted set in the order it was written.
    return ordered(g.items, p.items, opts, "tuple");
  }
  if (g.kind === "set" && p.kind === "tuple") return unordered(g.items, p.items, opts);
  // A one-element set is its element ({5} against 5; {11+x, x+11} against 11+x).
  if (g.kind === "set" && p.kind === "scalar" && single(g.items, opts)) {
    return itemsEqual(g.items[0], p.text, opts);
  }
  if (p.kind === "set" && g.kind === "scalar" && single(p.items, opts)) {
    return itemsEqual(g.text, p.items[0], opts);
  }
  // `12,75` is a decimal where only a number can match: against a single number. (`58, 500`,
  // with its space, stays a list, as in Math-Verify: `32, 349` is not 32349.)
  if (p.kind === "set" && !p.braced && g.kind === "scalar") {
    const number = digitGroups(p.items);
    if (number) return prefixed("digit groups", scalarsEqual(g.text, number, opts));
  }
  if (g.kind === "set" && !g.braced && p.kind === "scalar" && /^-?\d*\.?\d+$/.test(p.text)) {
    const number = digitGroups(g.items);
    if (number) return prefixed("digit groups", scalarsEqual(number, p.text, opts));
  }
  return no(`different shapes (${g.kind} vs ${p.kind})`);
}

/**
 * Two digit groups read as a decimal, for when the other side is a single number: `12,75` →
 * 12.75, `0,250` → 0.250 (a comma that can only be a decimal comma; `5,525` is thousands).
 */
function digitGroups(items: string[]): string | undefined {
  if (items.length !== 2 || !/^-?\d+$/.test(items[0]) || !/^\d+$/.test(items[1])) {
    return undefined;
  }
  if (items[1].length === 3 && !/^-?0$/.test(items[0])) return undefined;
  return `${items[0]}.${items[1]}`;
}

/** An interval read from an inequality with one infinite end, back as that inequality. */
function intervalAsRelation(
  s: Extract<Structure, { kind: "interval" }>,
): Extract<Structure, { kind: "relation" }> | undefined {
  if (!s.variable || s.parts.length !== 1 || s.points.length) return undefined;
  const [part] = s.parts;
  if (part.low === "-\\infty") {
    return { kind: "relation", op: part.highClosed ? "<=" : "<", lhs: s.variable, rhs: part.high };
  }
  if (part.high === "\\infty") {
    return { kind: "relation", op: part.lowClosed ? ">=" : ">", lhs: s.variable, rhs: part.low };
  }
  return undefined;
}

const FLIP: Record<string, string> = {
  "<": ">",
  ">": "<",
  "<=": ">=",
  ">=": "<=",
  "=": "=",
  "!=": "!=",
};

/**
 * Relations, as Math-Verify's `sympy_compare_relational`: the same relation, the same one with
 * its sides swapped (`x \le 3`, `3 \ge x`), or one whose `lhs − rhs` is a multiple of the
 * other's: any nonzero multiple for equations (`3x-6y+2=0`, `y = x/2 + 1/3`), a positive one
 * for inequalities (`-x < 2`, `x > -2`; `2x < 4`, `x < 2`).
 */
function relationsEqual(
  g: Extract<Structure, { kind: "relation" }>,
  q: Extract<Structure, { kind: "relation" }>,
  opts: Opts,
): Result {
  if (g.op === q.op && g.lhs === q.lhs && g.rhs === q.rhs) return yes(`same relation ${g.op}`);
  const a = canonical(g);
  const b = canonical(q);
  if (a.op !== b.op) return no("relations differ");
  // By value first: it decides most relations in variables without the algebra library.
  const positive = a.op !== "=" && a.op !== "!=";
  const byValue = proportionalByValue(a.expr, b.expr, { positive });
  if (byValue) return byValue;
  if (g.op === q.op && both(g.lhs, q.lhs, g.rhs, q.rhs, opts)) return yes(`same relation ${g.op}`);
  if (FLIP[g.op] === q.op && both(g.lhs, q.rhs, g.rhs, q.lhs, opts)) {
    return yes(`same relation ${g.op}, sides swapped`);
  }
  if (!opts.symbolic) throw new NeedsSymbolic(`${a.expr} ${a.op} 0 vs ${b.expr} ${b.op} 0`);
  return proportionalEquations(a.expr, b.expr, { positive });
}

/** A relation as `expr op 0` with op in =, !=, <, <=. */
function canonical(r: Extract<Structure, { kind: "relation" }>): { expr: string; op: string } {
  if (r.op === ">" || r.op === ">=") {
    return { expr: `(${r.rhs})-(${r.lhs})`, op: r.op === ">" ? "<" : "<=" };
  }
  return { expr: `(${r.lhs})-(${r.rhs})`, op: r.op };
}

function both(a1: string, b1: string, a2: string, b2: string, opts: Opts): boolean {
  return itemsEqual(a1, b1, opts).equal && itemsEqual(a2, b2, opts).equal;
}

/** Compares two items of a structure (which may be structures themselves: a set of points). */
function itemsEqual(g: string, p: string, opts: Opts): Result {
  if (g === p) return yes("exact match after normalisation");
  return structuresEqual(parseStructure(g), parseStructure(p), opts);
}

function ordered(g: string[], p: string[], opts: Opts, what: string): Result {
  if (g.length !== p.length) return no(`${what} lengths differ (${g.length} vs ${p.length})`);
  for (let i = 0; i < g.length; i++) {
    const r = itemsEqual(g[i], p[i], opts);
    if (!r.equal) return no(`${what} element ${i + 1} differs: ${r.reason}`);
  }
  return yes(`${what}: every element equal`);
}

/** Above this many items a set is matched by text, not item by item. */
const MAX_MATCHED_ITEMS = 64;

function dedupeByText(items: string[]): string[] {
  return [...new Set(items)];
}

/** Sets: order does not matter, and a repeated element is one element. */
function unordered(gItems: string[], pItems: string[], opts: Opts): Result {
  let g = dedupeByText(gItems);
  let p = dedupeByText(pItems);
  if (g.length > MAX_MATCHED_ITEMS || p.length > MAX_MATCHED_ITEMS) {
    // Pairwise matching is quadratic: a huge list is compared as a sorted list of its texts.
    const same = [...g].sort().join(",") === [...p].sort().join(",");
    return same ? yes("set: same texts in any order") : no("set: long lists differ");
  }
  if (g.length !== p.length) {
    // Duplicates written differently (`\frac{1}{2}, 0.5`) are one element.
    g = dedupe(g, opts);
    p = dedupe(p, opts);
    if (g.length !== p.length) return no(`set sizes differ (${g.length} vs ${p.length})`);
  }
  const used = new Set<number>();
  for (const item of g) {
    const match = p.findIndex((q, j) => !used.has(j) && itemsEqual(item, q, opts).equal);
    if (match < 0) return no(`no match for ${item}`);
    used.add(match);
  }
  return yes("set: same elements in any order");
}

/** Whether a short list holds one element, written once or several times. */
function single(items: string[], opts: Opts): boolean {
  const texts = dedupeByText(items);
  return texts.length === 1 || (texts.length <= 4 && dedupe(texts, opts).length === 1);
}

function dedupe(items: string[], opts: Opts): string[] {
  const kept: string[] = [];
  for (const item of items) {
    if (!kept.some((k) => itemsEqual(k, item, opts).equal)) kept.push(item);
  }
  return kept;
}

function unions(
  g: Extract<Structure, { kind: "interval" }>,
  p: Extract<Structure, { kind: "interval" }>,
  opts: Opts,
): Result {
  const r = intervals(g.parts, p.parts, opts);
  if (!r.equal || (g.points.length === 0 && p.points.length === 0)) return r;
  const points = unordered(g.points, p.points, opts);
  return points.equal ? yes("union: same intervals and points") : points;
}

function intervals(g: IntervalPart[], p: IntervalPart[], opts: Opts): Result {
  if (g.length !== p.length) return no("different number of intervals");
  const used = new Set<number>();
  for (const a of g) {
    const match = p.findIndex((b, j) =>
      !used.has(j) && a.lowClosed === b.lowClosed && a.highClosed === b.highClosed &&
      both(a.low, b.low, a.high, b.high, opts)
    );
    if (match < 0) return no("an interval has no equal counterpart");
    used.add(match);
  }
  return yes("intervals: same ends and openness");
}

/** A word of three or more letters outside LaTeX commands: a text answer, not a product. */
const WORD = /(?<![\\a-zA-Z])[a-zA-Z]{3,}/;

/**
 * Scalars, gold first. Exact values must be equal. A decimal gold is matched at its
 * precision ({@linkcode comparisonPlaces}: its stated places when it has three significant
 * digits or more, else Math-Verify's six); against an exact gold, a decimal prediction gets the
 * relative tolerance (Qwen2.5-Math's `numeric_equal`).
 */
function scalarsEqual(g: string, p: string, opts: Opts): Result {
  if (g === p) return yes("exact match after normalisation");
  if (WORD.test(g) || WORD.test(p)) {
    // "Navin" is a name, not N·a·v·i·n: words compare as text, case aside.
    return g.toLowerCase() === p.toLowerCase() ? yes("same text") : no("different text");
  }
  const places = comparisonPlaces(g);
  const a = parseRational(g);
  const b = parseRational(p);
  if (a && b) {
    if (sameRational(a, b)) return yes("equal rationals");
    if (places !== undefined) {
      return roundsToGold(b, a, places)
        ? yes(`rounds to the gold at ${places} decimal place(s)`)
        : no(`different numbers at ${places} decimal place(s)`);
    }
    const x = rationalToNumber(a);
    const y = rationalToNumber(b);
    // Only decimals get the tolerance: two exact fractions that differ are different answers.
    if (/\./.test(p) && Math.abs(x - y) <= opts.tolerance * Math.max(Math.abs(x), Math.abs(y))) {
      return yes("numbers equal within tolerance");
    }
    return no("different numbers");
  }
  const numeric = numericEqual(g, p, { tolerance: opts.tolerance, goldPlaces: places });
  if (numeric) return numeric;
  if (!opts.symbolic) throw new NeedsSymbolic(`${g} vs ${p}`);
  return symbolicEqual(g, p, { tolerance: opts.tolerance, goldPlaces: places });
}
