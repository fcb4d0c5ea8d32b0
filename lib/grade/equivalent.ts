import { withDefaults } from "../task/with_defaults.ts";
import { normalizeAnswer } from "./normalize.ts";
import { numericEqual } from "./numeric.ts";
import { parseRational, rationalToNumber, sameRational } from "./rational.ts";
import { type IntervalPart, parseStructure, type Structure, unbox } from "./structure.ts";
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
  /** Relative tolerance of numeric comparisons. */
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

function structuresEqual(g: Structure, p: Structure, opts: Opts): Result {
  if (g.kind === "scalar" && p.kind === "scalar") return scalarsEqual(g.text, p.text, opts);
  if (g.kind !== p.kind) {
    const matrix = g.kind === "matrix" ? g : p.kind === "matrix" ? p : undefined;
    const other = matrix === g ? p : g;
    if (matrix && other.kind === "tuple") {
      // A vector written as a point: one row or one column against the tuple's entries.
      const vector = matrix.rows.length === 1 || matrix.rows.every((r) => r.length === 1);
      if (!vector) return { equal: false, reason: "different shapes (matrix vs tuple)" };
      const entries = matrix.rows.flat();
      return matrix === g
        ? ordered(entries, other.items, opts, "vector")
        : ordered(other.items, entries, opts, "vector");
    }
    // An open interval written with round brackets reads as a tuple: compare the two readings.
    const interval = g.kind === "interval" ? g : p.kind === "interval" ? p : undefined;
    const tuple = g.kind === "tuple" ? g : p.kind === "tuple" ? p : undefined;
    if (interval && tuple) {
      if (tuple.items.length !== 2 || interval.parts.length !== 1) {
        return { equal: false, reason: "different shapes (interval vs tuple)" };
      }
      const open = {
        low: tuple.items[0],
        high: tuple.items[1],
        lowClosed: false,
        highClosed: false,
      };
      const r = intervals([open], interval.parts, opts);
      return r.equal ? { equal: true, reason: "open interval written as a pair" } : r;
    }
    return { equal: false, reason: `different shapes (${g.kind} vs ${p.kind})` };
  }
  switch (g.kind) {
    case "tuple":
      return ordered(g.items, (p as typeof g).items, opts, "tuple");
    case "matrix": {
      const rows = (p as typeof g).rows;
      if (rows.length !== g.rows.length) return { equal: false, reason: "matrix sizes differ" };
      return ordered(g.rows.flat(), rows.flat(), opts, "matrix");
    }
    case "set":
      return unordered(g.items, (p as typeof g).items, opts);
    case "interval": {
      const q = p as typeof g;
      if (g.variable && q.variable && g.variable !== q.variable) {
        return { equal: false, reason: `different variables (${g.variable} vs ${q.variable})` };
      }
      return intervals(g.parts, q.parts, opts);
    }
    case "relation": {
      const q = p as typeof g;
      const flip: Record<string, string> = {
        "<": ">",
        ">": "<",
        "<=": ">=",
        ">=": "<=",
        "=": "=",
        "!=": "!=",
      };
      const direct = g.op === q.op && both(g.lhs, q.lhs, g.rhs, q.rhs, opts);
      const swapped = flip[g.op] === q.op && both(g.lhs, q.rhs, g.rhs, q.lhs, opts);
      if (direct || swapped) return { equal: true, reason: `same relation ${g.op}` };
      if (g.op === "=" && q.op === "=") {
        // Equations of lines and planes: equal when one is a nonzero multiple of the other.
        if (!opts.symbolic) throw new NeedsSymbolic(`${g.lhs}=${g.rhs} vs ${q.lhs}=${q.rhs}`);
        return proportionalEquations(`${g.lhs}-(${g.rhs})`, `${q.lhs}-(${q.rhs})`);
      }
      return { equal: false, reason: "relations differ" };
    }
  }
  return { equal: false, reason: "unknown shape" };
}

function both(a1: string, b1: string, a2: string, b2: string, opts: Opts): boolean {
  return scalarsEqual(a1, b1, opts).equal && scalarsEqual(a2, b2, opts).equal;
}

function ordered(g: string[], p: string[], opts: Opts, what: string): Result {
  if (g.length !== p.length) {
    return { equal: false, reason: `${what} lengths differ (${g.length} vs ${p.length})` };
  }
  for (let i = 0; i < g.length; i++) {
    const r = scalarsEqual(g[i], p[i], opts);
    if (!r.equal) return { equal: false, reason: `${what} element ${i + 1} differs: ${r.reason}` };
  }
  return { equal: true, reason: `${what}: every element equal` };
}

/** Above this many items a set is matched by text, not item by item. */
const MAX_MATCHED_ITEMS = 64;

function unordered(g: string[], p: string[], opts: Opts): Result {
  if (g.length !== p.length) {
    return { equal: false, reason: `set sizes differ (${g.length} vs ${p.length})` };
  }
  if (g.length > MAX_MATCHED_ITEMS) {
    // Pairwise matching is quadratic: a huge list is compared as a sorted list of its texts.
    const same = [...g].sort().join(",") === [...p].sort().join(",");
    return {
      equal: same,
      reason: same ? "set: same texts in any order" : "set: long lists differ",
    };
  }
  const used = new Set<number>();
  for (const item of g) {
    const match = p.findIndex((q, j) => !used.has(j) && scalarsEqual(item, q, opts).equal);
    if (match < 0) return { equal: false, reason: `no match for ${item}` };
    used.add(match);
  }
  return { equal: true, reason: "set: same elements in any order" };
}

function intervals(g: IntervalPart[], p: IntervalPart[], opts: Opts): Result {
  if (g.length !== p.length) return { equal: false, reason: "different number of intervals" };
  const used = new Set<number>();
  for (const a of g) {
    const match = p.findIndex((b, j) =>
      !used.has(j) && a.lowClosed === b.lowClosed && a.highClosed === b.highClosed &&
      both(a.low, b.low, a.high, b.high, opts)
    );
    if (match < 0) return { equal: false, reason: "an interval has no equal counterpart" };
    used.add(match);
  }
  return { equal: true, reason: "intervals: same ends and openness" };
}

/** A word of three or more letters outside LaTeX commands: a text answer, not a product. */
const WORD = /(?<![\\a-zA-Z])[a-zA-Z]{3,}/;

function scalarsEqual(g: string, p: string, opts: Opts): Result {
  if (g === p) return { equal: true, reason: "exact match after normalisation" };
  if (WORD.test(g) || WORD.test(p)) {
    // "Navin" is a name, not N·a·v·i·n: words compare as text, case aside.
    return g.toLowerCase() === p.toLowerCase()
      ? { equal: true, reason: "same text" }
      : { equal: false, reason: "different text" };
  }
  const a = parseRational(g);
  const b = parseRational(p);
  if (a && b) {
    if (sameRational(a, b)) return { equal: true, reason: "equal rationals" };
    const x = rationalToNumber(a);
    const y = rationalToNumber(b);
    // Only decimals get the tolerance: two exact fractions that differ are different answers.
    const approximate = /\./.test(g) || /\./.test(p);
    if (approximate && Math.abs(x - y) <= opts.tolerance * Math.max(Math.abs(x), Math.abs(y))) {
      return { equal: true, reason: "numbers equal within tolerance" };
    }
    return { equal: false, reason: "different numbers" };
  }
  const numeric = numericEqual(g, p, opts);
  if (numeric) return numeric;
  if (!opts.symbolic) throw new NeedsSymbolic(`${g} vs ${p}`);
  return symbolicEqual(g, p, { tolerance: opts.tolerance });
}
