import { ComputeEngine } from "@cortex-js/compute-engine";
import { seededRandom } from "../data/seeded_random.ts";
import { floatRoundsToGold } from "./precision.ts";

type Expr = ReturnType<ComputeEngine["parse"]>;

let engine: ComputeEngine | undefined;

/** One compute engine per thread, with tolerance 0 (its default calls 1/2004! = 1/2006!). */
function ce(): ComputeEngine {
  if (!engine) {
    engine = new ComputeEngine();
    (engine as unknown as { tolerance: number }).tolerance = 0;
  }
  return engine;
}

/** Verdict of the symbolic step. */
export interface SymbolicVerdict {
  equal: boolean;
  reason: string;
}

/** Below this magnitude a float says nothing about equality (1/2004! evaluates to 0). */
const TINY = 1e-250;

/**
 * Relative tolerance when neither side is written with a decimal point: exact expressions that
 * differ are different answers, however close (√2 vs 99/70, π vs 355/113), so only rounding in
 * the evaluation itself is forgiven. At random points the evaluation rounds more.
 */
const EXACT = { constant: 1e-12, points: 1e-9 };

/** Whether an answer is written as a decimal approximation (`0.866`, `.5`). */
function approximate(text: string): boolean {
  return /(?:^|[^\d])\.\d|\d\.\d/.test(text);
}

/**
 * Compares two LaTeX expressions with @cortex-js/compute-engine: structurally after
 * simplification, then numerically (relative tolerance) when both are constants, or at random
 * points when they have free variables. Values too small or too large for a float never count
 * as equal by number alone.
 */
export function symbolicEqual(
  gold: string,
  pred: string,
  options: { tolerance: number; goldPlaces?: number },
): SymbolicVerdict {
  return isolated(() => compare(gold, pred, options));
}

/**
 * Runs a comparison in a scope of its own: the engine declares symbols as it meets them (after
 * `f(x)`, `f` is a function and `f+1` no longer parses), and one pair must not change how the
 * next is read.
 */
function isolated<T>(run: () => T): T {
  const engine = ce() as unknown as { pushScope(): void; popScope(): void };
  engine.pushScope();
  try {
    return run();
  } finally {
    engine.popScope();
  }
}

function compare(
  gold: string,
  pred: string,
  options: { tolerance: number; goldPlaces?: number },
): SymbolicVerdict {
  const a = ce().parse(gold);
  const b = ce().parse(pred);
  const rounded = approximate(gold) || approximate(pred);
  const tolerance = rounded ? options.tolerance : EXACT.constant;
  const pointTolerance = rounded ? options.tolerance : EXACT.points;
  if (!a.isValid || !b.isValid) {
    return { equal: false, reason: `unparsable ${!a.isValid ? "gold" : "prediction"} LaTeX` };
  }
  if (a.isSame(b)) return { equal: true, reason: "symbolic: same expression" };
  const sa = a.simplify();
  const sb = b.simplify();
  if (sa.isSame(sb)) return { equal: true, reason: "symbolic: same after simplification" };
  const vars = [...new Set([...freeVariables(a), ...freeVariables(b)])];
  if (vars.length === 0) {
    const ints = [exactInteger(a), exactInteger(b)];
    if (ints[0] !== undefined && ints[1] !== undefined) {
      return ints[0] === ints[1]
        ? { equal: true, reason: "equal integers (exact evaluation)" }
        : { equal: false, reason: "different integers (exact evaluation)" };
    }
    const big = [bigReal(a), bigReal(b)];
    if (big[0] && big[1]) {
      return closeBig(big[0], big[1], tolerance)
        ? { equal: true, reason: "numeric value within tolerance (high precision)" }
        : { equal: false, reason: "different numeric values (high precision)" };
    }
    const x = complexValue(a);
    const y = complexValue(b);
    if (!x || !y) return { equal: false, reason: "symbolic: no numeric value" };
    if (!usable(x) || !usable(y)) {
      return { equal: false, reason: "symbolic: values beyond float precision and not identical" };
    }
    if (options.goldPlaces !== undefined) {
      // A decimal gold: the prediction must round to it at the gold's places.
      return x.im === 0 && Math.abs(y.im) <= 1e-12 * Math.abs(y.re) &&
          floatRoundsToGold(y.re, x.re, options.goldPlaces)
        ? {
          equal: true,
          reason: `numeric value rounds to the gold at ${options.goldPlaces} places`,
        }
        : { equal: false, reason: `different values at ${options.goldPlaces} decimal places` };
    }
    return close(x, y, tolerance)
      ? { equal: true, reason: "numeric value within tolerance" }
      : { equal: false, reason: "different numeric values" };
  }
  if (freeVariables(a).join() !== freeVariables(b).join()) {
    return {
      equal: false,
      reason: `different variables (${freeVariables(a).join(", ") || "none"} vs ${
        freeVariables(b).join(", ") || "none"
      })`,
    };
  }
  const random = seededRandom(17);
  for (let trial = 0; trial < 4; trial++) {
    const point = Object.fromEntries(vars.map((v) => [v, ce().number(0.5 + 2 * random.next())]));
    const x = complexValue(a.subs(point));
    const y = complexValue(b.subs(point));
    if (!x || !y || !usable(x) || !usable(y)) {
      return { equal: false, reason: "random points: no usable value" };
    }
    if (!close(x, y, pointTolerance)) {
      return { equal: false, reason: "random points: values differ" };
    }
  }
  return { equal: true, reason: `random points: equal at 4 points in ${vars.join(", ")}` };
}

/**
 * Whether two equations `a = 0` and `b = 0` (given as the expressions a and b) are the same:
 * a is a nonzero constant multiple of b, checked at random points of their variables. With
 * `positive`, the relations are inequalities `a < 0` and `b < 0`, and the multiple must be
 * positive.
 */
export function proportionalEquations(
  a: string,
  b: string,
  options: { positive?: boolean } = {},
): SymbolicVerdict {
  return isolated(() => proportional(a, b, options.positive ?? false));
}

function proportional(a: string, b: string, positive: boolean): SymbolicVerdict {
  const x = ce().parse(a);
  const y = ce().parse(b);
  if (!x.isValid || !y.isValid) return { equal: false, reason: "unparsable equation" };
  const vars = freeVariables(x);
  if (vars.length === 0 || vars.join() !== freeVariables(y).join()) {
    return { equal: false, reason: "equations in different variables" };
  }
  const random = seededRandom(29);
  let ratio: { re: number; im: number } | undefined;
  for (let trial = 0; trial < 4; trial++) {
    const point = Object.fromEntries(vars.map((v) => [v, ce().number(0.5 + 2 * random.next())]));
    const u = complexValue(x.subs(point));
    const w = complexValue(y.subs(point));
    if (!u || !w || !usable(u) || !usable(w) || Math.hypot(w.re, w.im) === 0) {
      return { equal: false, reason: "equations: no usable value at a random point" };
    }
    const d = w.re * w.re + w.im * w.im;
    const r = { re: (u.re * w.re + u.im * w.im) / d, im: (u.im * w.re - u.re * w.im) / d };
    if (ratio && !close(ratio, r, EXACT.points)) {
      return { equal: false, reason: "equations differ (not proportional)" };
    }
    ratio ??= r;
  }
  if (positive && (Math.abs(ratio!.im) > 1e-12 * Math.abs(ratio!.re) || ratio!.re <= 0)) {
    return { equal: false, reason: "inequalities: a negative multiple flips the relation" };
  }
  return { equal: true, reason: "equations: one is a constant multiple of the other" };
}

function freeVariables(e: Expr): string[] {
  return [...((e as unknown as { freeVariables: string[] }).freeVariables ?? [])]
    .filter((v) => v !== "ExponentialE" && v !== "Pi" && v !== "ImaginaryUnit")
    .sort();
}

function complexValue(e: Expr | null | undefined): { re: number; im: number } | undefined {
  if (!e) return undefined;
  const n = e.N();
  const re = Number(n.re);
  const im = Number(n.im ?? 0);
  if (Number.isNaN(re) || Number.isNaN(im)) return undefined;
  return { re, im };
}

/** The exact integer an expression evaluates to (2^{100}, 10!, …), as a bigint. */
function exactInteger(e: Expr | null): bigint | undefined {
  if (!e) return undefined;
  const json = e.evaluate().json as unknown;
  const text = typeof json === "number"
    ? String(json)
    : json && typeof json === "object" && "num" in json
    ? String(json.num)
    : undefined;
  return text && /^-?\d+$/.test(text) ? BigInt(text) : undefined;
}

/** A real value as mantissa × 10^exponent, read from the engine's arbitrary-precision result. */
function bigReal(e: Expr | null): { m: number; e: number } | undefined {
  if (!e) return undefined;
  const json = e.N().json as unknown;
  let text: string | undefined;
  if (typeof json === "number") text = String(json);
  else if (json && typeof json === "object" && "num" in json) text = String(json.num);
  if (!text) return undefined;
  const match = text.match(/^(-?\d+(?:\.\d+)?)(?:e([+-]?\d+))?$/);
  if (!match) return undefined;
  const mantissa = Number(match[1]);
  if (mantissa === 0) return { m: 0, e: 0 };
  const shift = Math.floor(Math.log10(Math.abs(mantissa)));
  return { m: mantissa / 10 ** shift, e: Number(match[2] ?? 0) + shift };
}

function closeBig(x: { m: number; e: number }, y: { m: number; e: number }, tol: number): boolean {
  if (x.m === 0 || y.m === 0) return x.m === y.m;
  if (Math.abs(x.e - y.e) > 1) return false;
  const ym = y.m * 10 ** (y.e - x.e);
  return Math.abs(x.m - ym) <= tol * Math.max(Math.abs(x.m), Math.abs(ym));
}

function usable(v: { re: number; im: number }): boolean {
  const size = Math.hypot(v.re, v.im);
  // Infinite or underflowed floats say nothing (1000000! and 999999! are both Infinity); equal
  // infinities were already caught as the same expression.
  return Number.isFinite(size) && (size === 0 || size > TINY);
}

function close(x: { re: number; im: number }, y: { re: number; im: number }, tol: number): boolean {
  if (!Number.isFinite(x.re) || !Number.isFinite(y.re)) return x.re === y.re && x.im === y.im;
  const scale = Math.max(Math.hypot(x.re, x.im), Math.hypot(y.re, y.im));
  const diff = Math.hypot(x.re - y.re, x.im - y.im);
  return scale === 0 ? diff === 0 : diff <= tol * scale;
}
