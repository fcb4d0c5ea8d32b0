import type { Rational } from "./rational.ts";

/**
 * Fewest significant digits for a decimal gold to count as a rounded value. A short decimal
 * (`0.5`, `0.15`, `4.5`) is usually exact; `33.3` or `7.78` ("to the nearest cent") is usually
 * rounded, and a prediction is then compared at the gold's stated precision.
 */
export const ROUNDED_GOLD_DIGITS = 3;

/** The precision a decimal literal states: its decimal places and its significant digits. */
export interface StatedPrecision {
  places: number;
  significant: number;
}

/**
 * The precision a normalised decimal literal states; undefined for anything else (an integer,
 * a fraction, an expression).
 *
 * @example
 * ```ts
 * import { statedPrecision } from "./precision.ts";
 * const p = statedPrecision("33.3")!;
 * if (p.places !== 1 || p.significant !== 3) throw new Error("33.3 states 1 place, 3 digits");
 * if (statedPrecision("0.0500")?.significant !== 3) throw new Error("trailing zeros count");
 * ```
 */
export function statedPrecision(text: string): StatedPrecision | undefined {
  const m = text.match(/^-?(\d*)\.(\d+)$/);
  if (!m) return undefined;
  const digits = (m[1] + m[2]).replace(/^0+/, "");
  return { places: m[2].length, significant: digits.length };
}

/** Math-Verify's `float_rounding` default: decimal places both sides are rounded to. */
export const FLOAT_ROUNDING = 6;

/**
 * The decimal places at which a prediction is compared with a decimal gold; undefined when the
 * gold is not a decimal. A rounded gold (at least {@linkcode ROUNDED_GOLD_DIGITS} significant
 * digits) is matched at its stated precision: `33.3` by `100/3`, `16386.17` not by `16386.16`.
 * A short one (`0.5`) is matched as Math-Verify matches floats, at {@linkcode FLOAT_ROUNDING}
 * places (or its own, if it states more): `0.5` by `0.4999999`, not by `0.54`.
 *
 * @example
 * ```ts
 * import { comparisonPlaces } from "./precision.ts";
 * if (comparisonPlaces("33.3") !== 1 || comparisonPlaces("0.5") !== 6) throw new Error("places");
 * if (comparisonPlaces("\\frac{1}{3}") !== undefined) throw new Error("an exact gold");
 * ```
 */
export function comparisonPlaces(gold: string): number | undefined {
  const p = statedPrecision(gold);
  if (!p) return undefined;
  return p.significant >= ROUNDED_GOLD_DIGITS ? p.places : Math.max(p.places, FLOAT_ROUNDING);
}

/**
 * Whether an exact value rounds to the gold at `places` decimal places:
 * |value − gold| ≤ ½·10^−places, computed exactly on rationals.
 *
 * @example
 * ```ts
 * import { roundsToGold } from "./precision.ts";
 * const third = { num: 100n, den: 3n }; // 33.333…
 * if (!roundsToGold(third, { num: 333n, den: 10n }, 1)) throw new Error("100/3 is 33.3");
 * if (roundsToGold(third, { num: 333n, den: 10n }, 2)) throw new Error("but not 33.30");
 * ```
 */
export function roundsToGold(value: Rational, gold: Rational, places: number): boolean {
  const diff = value.num * gold.den - gold.num * value.den;
  const abs = diff < 0n ? -diff : diff;
  return 2n * abs * 10n ** BigInt(places) <= value.den * gold.den;
}

/** {@linkcode roundsToGold} for a float value (an irrational one), with rounding slack. */
export function floatRoundsToGold(value: number, gold: number, places: number): boolean {
  const half = 0.5 * 10 ** -places;
  return Math.abs(value - gold) <= half * (1 + 1e-9) + Math.abs(gold) * 1e-15;
}
