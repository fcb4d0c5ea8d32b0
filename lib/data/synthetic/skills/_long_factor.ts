import { between, randomNumber } from "../_numbers.ts";
import type { SeededRandom } from "../../seeded_random.ts";
import { atLevel } from "../skill.ts";

// Digits [lo, hi] of the long number per level (a problem holds it twice, within 120 characters).
const DIGITS: readonly [number, number][] = [[2, 4], [5, 8], [9, 14], [15, 22], [23, 32]];

/** What levels 1-5 of a skill with a repeated long number draw. */
export const LONG_NUMBER_LEVELS = [
  "long number of 2-4 digits",
  "5-8 digits",
  "9-14 digits",
  "15-22 digits",
  "23-32 digits",
] as const;

/**
 * The long number n of a level, and a short one m (2-999): the text step reads only m, a program
 * writes n twice and is right only if both copies agree.
 */
export function drawLongAndShort(
  level: number,
  random: SeededRandom,
  skill: string,
): { n: bigint; m: bigint } {
  const n = randomNumber(random, ...atLevel(DIGITS, level, skill));
  const m = BigInt(between(random, 2, 999));
  // n and m distinct, so that the problem's repeated number is n alone.
  return { n, m: m === n ? m + 1n : m };
}

/** A short term below n (and below 1000), so that the text step copies a short number. */
export function shortTermBelow(n: bigint, random: SeededRandom): bigint {
  return BigInt(random.int(Number(n < 999n ? n : 999n)) + 1) % n;
}
