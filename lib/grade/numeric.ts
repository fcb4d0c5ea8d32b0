/**
 * A small evaluator for the arithmetic part of LaTeX (numbers, + − × ÷, powers, \frac, \sqrt,
 * \pi, e, i, trigonometric functions, small factorials, one-letter variables) over complex
 * floats. It lets the grader settle most non-rational pairs without the computer-algebra
 * library; anything outside this grammar is left to that library.
 */

import { floatRoundsToGold } from "./precision.ts";

/** A complex number. */
export interface Complex {
  re: number;
  im: number;
}

/** A compiled expression: its free variables and a function of their values. */
export interface Compiled {
  variables: string[];
  /** Whether the text writes a decimal number (an approximation). */
  approximate: boolean;
  evaluate(values: Record<string, number>): Complex;
}

type Node = (env: Record<string, number>) => Complex;

const FUNCTIONS: Record<string, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  cot: (x) => 1 / Math.tan(x),
  sec: (x) => 1 / Math.cos(x),
  csc: (x) => 1 / Math.sin(x),
  arcsin: Math.asin,
  arccos: Math.acos,
  arctan: Math.atan,
  ln: Math.log,
};

const c = (re: number, im = 0): Complex => ({ re, im });
const add = (a: Complex, b: Complex) => c(a.re + b.re, a.im + b.im);
const sub = (a: Complex, b: Complex) => c(a.re - b.re, a.im - b.im);
const mul = (a: Complex, b: Complex) => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
function div(a: Complex, b: Complex): Complex {
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}
function pow(a: Complex, b: Complex): Complex {
  if (b.im === 0 && Number.isInteger(b.re) && Math.abs(b.re) <= 64) {
    // Integer powers by repeated multiplication: i^2 is exactly -1.
    let r = c(1);
    for (let k = 0; k < Math.abs(b.re); k++) r = mul(r, a);
    return b.re < 0 ? div(c(1), r) : r;
  }
  if (a.im === 0 && a.re > 0 && b.im === 0) return c(a.re ** b.re);
  if (a.re === 0 && a.im === 0) return c(b.re > 0 ? 0 : NaN);
  // Principal value: exp(b · log a).
  const logA = c(Math.log(Math.hypot(a.re, a.im)), Math.atan2(a.im, a.re));
  const w = mul(b, logA);
  const m = Math.exp(w.re);
  return c(m * Math.cos(w.im), m * Math.sin(w.im));
}

/** Thrown inside the parser when the text leaves the supported grammar. */
class Unsupported extends Error {}

/**
 * Compiles a normalised LaTeX expression; undefined when it uses anything this evaluator does
 * not cover (the caller then asks the computer-algebra library).
 *
 * @example
 * ```ts
 * import { compileLatex } from "./numeric.ts";
 * const f = compileLatex("\\frac{\\sqrt{3}}{2}x^2")!;
 * if (Math.abs(f.evaluate({ x: 2 }).re - 2 * Math.sqrt(3)) > 1e-12) throw new Error("value");
 * ```
 */
export function compileLatex(text: string): Compiled | undefined {
  const tokens = tokenize(text);
  if (!tokens) return undefined;
  const variables = new Set<string>();
  let approximate = false;
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const expect = (t: string) => {
    if (next() !== t) throw new Unsupported(t);
  };

  const sum = (): Node => {
    let sign = 1;
    while (peek() === "+" || peek() === "-") if (next() === "-") sign = -sign;
    let left = product();
    if (sign < 0) {
      const inner = left;
      left = (e) => mul(c(-1), inner(e));
    }
    while (peek() === "+" || peek() === "-") {
      const op = next();
      let negate = op === "-";
      while (peek() === "+" || peek() === "-") if (next() === "-") negate = !negate;
      const l = left;
      const r = product();
      left = negate ? (e) => sub(l(e), r(e)) : (e) => add(l(e), r(e));
    }
    return left;
  };
  const product = (): Node => {
    let left = power();
    let lastOp = "";
    for (;;) {
      const t = peek();
      if (t === "*" || t === "/") {
        lastOp = next();
        const l = left;
        const r = power();
        left = t === "*" ? (e) => mul(l(e), r(e)) : (e) => div(l(e), r(e));
      } else if (t !== undefined && startsFactor(t)) {
        // `a/bc` reads as a/(bc) to some and (a/b)c to others: leave it to the algebra library.
        if (lastOp === "/") throw new Unsupported("a/bc");
        const l = left;
        const r = power(); // implicit multiplication: 2\sqrt{3}, 3R^2, (a+5)(b+2)
        left = (e) => mul(l(e), r(e));
      } else return left;
    }
  };
  const power = (): Node => {
    let base = atom();
    if (peek() === "!") {
      next();
      const inner = base;
      base = (e) => factorial(inner(e));
    }
    if (peek() !== "^") return base;
    next();
    // x^23 is x^2·3 in LaTeX: an exponent without braces must be one character.
    if (peek() !== "{" && peek()?.length !== 1) throw new Unsupported("x^23");
    const exponent = peek() === "{" ? group() : atom();
    if (peek() === "^") throw new Unsupported("a^b^c");
    const b = base;
    return (e) => pow(b(e), exponent(e));
  };
  const group = (): Node => {
    expect("{");
    const inner = sum();
    expect("}");
    return inner;
  };
  const atom = (): Node => {
    const t = next();
    if (t === undefined) throw new Unsupported("end");
    if (/^\d/.test(t)) {
      // 1e3 is a number (as the algebra library reads it), and a rounded one.
      if (/[.e]/.test(t)) approximate = true;
      else if (t.length > 15) throw new Unsupported("a big integer");
      const v = Number(t);
      return () => c(v);
    }
    if (t === "(" || t === "{") {
      const inner = sum();
      expect(t === "(" ? ")" : "}");
      return inner;
    }
    if (t === "\\pi") return () => c(Math.PI);
    if (t === "e") return () => c(Math.E);
    if (t === "i") return () => c(0, 1);
    if (/^[a-zA-Z]$/.test(t)) {
      variables.add(t);
      return (env) => c(env[t]);
    }
    if (t === "\\frac") {
      const n = group();
      const d = group();
      return (e) => div(n(e), d(e));
    }
    if (t === "\\sqrt") {
      if (peek() === "[") throw new Unsupported("nth root");
      const x = group();
      return (e) => pow(x(e), c(0.5));
    }
    const name = t.slice(1);
    if (name in FUNCTIONS) {
      // Only an explicit argument: \sin x or \sin(2x); \sin 2x is left alone. `\sin^2 x` is
      // (\sin x)^2; a negative power (`\sin^{-1}`) would be the inverse, so only 1 to 9.
      const f = FUNCTIONS[name];
      let power = 1;
      if (peek() === "^") {
        next();
        const exponent = peek() === "{" ? [next(), next(), next()] : [next()];
        const digit = exponent.length === 3 ? exponent[1] : exponent[0];
        if (exponent.length === 3 && exponent[2] !== "}") throw new Unsupported("f^{…}");
        if (!/^[1-9]$/.test(digit ?? "")) throw new Unsupported("f^n");
        power = Number(digit);
      }
      const arg = peek() === "(" || peek() === "{" ? atom() : variableAtom();
      return (e) => {
        const x = arg(e);
        return x.im === 0 ? c(f(x.re) ** power) : c(NaN);
      };
    }
    throw new Unsupported(t);
  };
  const variableAtom = (): Node => {
    const t = peek();
    const after = tokens[at + 1];
    // \sin x alone; \sin xy or \sin x^2 could be read more than one way.
    if (!t || !/^[a-zA-Z]$/.test(t) || (after !== undefined && !"+-)}".includes(after))) {
      throw new Unsupported("argument");
    }
    return atom();
  };

  try {
    const root = sum();
    if (at !== tokens.length) return undefined;
    return { variables: [...variables].sort(), approximate, evaluate: root };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function startsFactor(t: string): boolean {
  return t === "(" || t === "{" || /^[\da-zA-Z\\]/.test(t);
}

function factorial(x: Complex): Complex {
  if (x.im !== 0 || !Number.isInteger(x.re) || x.re < 0 || x.re > 20) return c(NaN);
  let r = 1;
  for (let k = 2; k <= x.re; k++) r *= k;
  return c(r);
}

const TOKEN = /\s*(\d+(?:\.\d+)?(?:e[-+]?\d+)?|\.\d+|\\[a-zA-Z]+|[a-zA-Z]|[-+*/^()!{}[\]])/y;
const OPERATORS: Record<string, string> = { "\\cdot": "*", "\\times": "*", "\\div": "/" };

function tokenize(text: string): string[] | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) return text.slice(start).trim() === "" ? tokens : undefined;
    tokens.push(OPERATORS[m[1]] ?? m[1]);
  }
  return tokens;
}

/** The verdict of {@linkcode numericEqual} and {@linkcode proportionalByValue}. */
export interface NumericVerdict {
  equal: boolean;
  reason: string;
}

/** Relative tolerance between exact expressions: only evaluation rounding is forgiven. */
const EXACT = { constant: 1e-12, points: 1e-9 };
/**
 * Values outside this range say too little: tiny ones may be cancellation noise, and between
 * exact expressions the relative tolerance must stay below the distance of neighbouring
 * integers (16! and 16!+1 agree to 5e-14).
 */
const RANGE = { min: 1e-9, max: 1e6 };
const POINTS = [0.7317, 1.2839, 1.9371, 2.3518, 0.5612];

/**
 * Compares two expressions by value: once for constants, at five fixed points in (0.5, 2.5)
 * for expressions in the same variables. A decimal on either side gets the tolerance; exact
 * expressions must agree to rounding. Undefined when it cannot tell (outside the grammar,
 * different variables, values too large, too small or in between "equal" and "different"),
 * so the caller asks the algebra library.
 */
export function numericEqual(
  gold: string,
  pred: string,
  options: { tolerance: number; goldPlaces?: number },
): NumericVerdict | undefined {
  const a = compileLatex(gold);
  const b = compileLatex(pred);
  if (!a || !b || a.variables.join() !== b.variables.join()) return undefined;
  const approximate = a.approximate || b.approximate;
  const vars = a.variables;
  const tolerance = approximate ? options.tolerance : vars.length ? EXACT.points : EXACT.constant;
  const points = vars.length ? POINTS.map((_, k) => vars.map((_, j) => POINTS[(k + j) % 5])) : [[]];
  for (const point of points) {
    const env = Object.fromEntries(vars.map((v, j) => [v, point[j]]));
    const x = a.evaluate(env);
    const y = b.evaluate(env);
    const sx = Math.hypot(x.re, x.im);
    const sy = Math.hypot(y.re, y.im);
    if (!Number.isFinite(sx) || !Number.isFinite(sy)) return undefined;
    if (sx < RANGE.min || sy < RANGE.min) return undefined;
    if (!approximate && (sx > RANGE.max || sy > RANGE.max)) return undefined;
    if (options.goldPlaces !== undefined && !vars.length) {
      // A decimal gold: the prediction must round to it at the gold's places.
      const same = x.im === 0 && Math.abs(y.im) <= 1e-12 * sy &&
        floatRoundsToGold(y.re, x.re, options.goldPlaces);
      return same
        ? {
          equal: true,
          reason: `numeric: rounds to the gold at ${options.goldPlaces} decimal place(s)`,
        }
        : { equal: false, reason: `numeric: different at ${options.goldPlaces} decimal place(s)` };
    }
    const diff = Math.hypot(x.re - y.re, x.im - y.im) / Math.max(sx, sy);
    if (diff <= tolerance) continue;
    // Exact expressions this close may still differ only past float precision: ask the library.
    if (!approximate && diff <= 1e-6) return undefined;
    return {
      equal: false,
      reason: vars.length ? "numeric: values differ at a point" : "numeric: different values",
    };
  }
  if (vars.length) {
    return {
      equal: true,
      reason: `numeric: equal at ${points.length} points in ${vars.join(", ")}`,
    };
  }
  return {
    equal: true,
    reason: approximate ? "numeric: equal within tolerance" : "numeric: exact expressions agree",
  };
}

/**
 * Whether `a = 0` and `b = 0` (or `a < 0` and `b < 0` with `positive`) are the same relation:
 * a is a constant nonzero (positive) multiple of b, checked at the same fixed points. Undefined
 * when it cannot tell (outside the grammar, no variables, values out of range), so the caller
 * asks the algebra library.
 *
 * @example
 * ```ts
 * import { proportionalByValue } from "./numeric.ts";
 * const line = proportionalByValue("3x-6y+2", "(y)-(\\frac{1}{2}x+\\frac{1}{3})", { positive: false });
 * if (!line?.equal) throw new Error("3x-6y+2=0 is y=x/2+1/3");
 * if (proportionalByValue("-x-2", "x+2", { positive: true })?.equal) throw new Error("sign");
 * ```
 */
export function proportionalByValue(
  a: string,
  b: string,
  options: { positive: boolean },
): NumericVerdict | undefined {
  const f = compileLatex(a);
  const g = compileLatex(b);
  if (!f || !g || !f.variables.length || f.variables.join() !== g.variables.join()) {
    return undefined;
  }
  const vars = f.variables;
  let ratio: Complex | undefined;
  for (let k = 0; k < POINTS.length; k++) {
    const env = Object.fromEntries(vars.map((v, j) => [v, POINTS[(k + j) % 5]]));
    const x = f.evaluate(env);
    const y = g.evaluate(env);
    const sx = Math.hypot(x.re, x.im);
    const sy = Math.hypot(y.re, y.im);
    if (!Number.isFinite(sx) || !Number.isFinite(sy) || sx > RANGE.max || sy > RANGE.max) {
      return undefined;
    }
    if (sx < RANGE.min || sy < RANGE.min) {
      // Zero on one side only: not a multiple. Zero on both says nothing at this point.
      if (sx < RANGE.min && sy < RANGE.min) continue;
      return undefined;
    }
    const r = div(x, y);
    if (
      ratio && Math.hypot(r.re - ratio.re, r.im - ratio.im) > 1e-9 * Math.hypot(ratio.re, ratio.im)
    ) {
      return { equal: false, reason: "numeric: not a constant multiple" };
    }
    ratio ??= r;
  }
  if (!ratio) return undefined;
  if (options.positive && (Math.abs(ratio.im) > 1e-12 * Math.abs(ratio.re) || ratio.re <= 0)) {
    return { equal: false, reason: "numeric: a negative multiple flips the inequality" };
  }
  return { equal: true, reason: "numeric: one side is a constant multiple of the other" };
}
