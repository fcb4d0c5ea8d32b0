/** An exact rational number p/q with q > 0, in lowest terms. */
export interface Rational {
  num: bigint;
  den: bigint;
}

/**
 * Parses a normalised answer that is an exact rational: an integer, a decimal, `a/b`, or
 * `\frac{a}{b}` with integer (or decimal) parts, signs allowed. Anything else is undefined.
 *
 * @example
 * ```ts
 * import { parseRational, sameRational } from "./rational.ts";
 * const half = parseRational("\\frac{2}{4}")!;
 * if (!sameRational(half, parseRational("0.5")!)) throw new Error("2/4 = 0.5");
 * ```
 */
export function parseRational(text: string): Rational | undefined {
  const frac = text.match(/^(-?)\\frac\{(-?[\d.]+)\}\{(-?[\d.]+)\}$/) ??
    text.match(/^(-?)\(?(-?[\d.]+)\)?\/\(?(-?[\d.]+)\)?$/);
  if (frac) {
    const a = decimal(frac[2]);
    const b = decimal(frac[3]);
    if (!a || !b || b.num === 0n) return undefined;
    const r = reduce(a.num * b.den, a.den * b.num);
    return frac[1] === "-" ? { num: -r.num, den: r.den } : r;
  }
  return decimal(text);
}

function decimal(text: string): Rational | undefined {
  const m = text.match(/^([+-]?)(\d*)(?:\.(\d+))?$/);
  if (!m || (m[2] === "" && m[3] === undefined)) return undefined;
  const digits = (m[2] || "0") + (m[3] ?? "");
  const den = 10n ** BigInt((m[3] ?? "").length);
  const num = BigInt(digits) * (m[1] === "-" ? -1n : 1n);
  return reduce(num, den);
}

function reduce(num: bigint, den: bigint): Rational {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num < 0n ? -num : num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}

/** Exact equality of two rationals. */
export function sameRational(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

/** A rational as a float (for tolerance checks against non-rational values). */
export function rationalToNumber(r: Rational): number {
  return Number(r.num) / Number(r.den);
}
