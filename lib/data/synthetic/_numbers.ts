import type { SeededRandom } from "../seeded_random.ts";

/** A random integer with exactly `count` decimal digits. */
export function randomDigits(random: SeededRandom, count: number): bigint {
  let s = String(1 + random.int(9));
  for (let i = 1; i < count; i++) s += String(random.int(10));
  return BigInt(s);
}

/** A random integer in [lo, hi] (both included). */
export function between(random: SeededRandom, lo: number, hi: number): number {
  return lo + random.int(hi - lo + 1);
}

/** A random integer with between `lo` and `hi` decimal digits. */
export function randomNumber(random: SeededRandom, lo: number, hi: number): bigint {
  return randomDigits(random, between(random, lo, hi));
}

/** Two distinct multiples g*x and g*y of a common factor g, so their gcd is rarely 1. */
export function randomMultiples(
  random: SeededRandom,
  [glo, ghi, lo, hi]: readonly [number, number, number, number],
): [bigint, bigint] {
  const g = BigInt(between(random, glo, ghi));
  const x = BigInt(between(random, lo, hi));
  let y = BigInt(between(random, lo, hi));
  if (y === x) y = x + 1n;
  return [g * x, g * y];
}

/** base^exp mod m by repeated squaring. */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n % m;
  let b = base % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

/** Greatest common divisor of non-negative integers. */
export function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The Euclid chain `gcd(a, b) = gcd(b, a mod b) = ... = gcd(g, 0)`, as its pairs. */
export function euclidPairs(a: bigint, b: bigint): [bigint, bigint][] {
  const pairs: [bigint, bigint][] = [[a, b]];
  while (b) {
    [a, b] = [b, a % b];
    pairs.push([a, b]);
  }
  return pairs;
}

/** The digits of a non-negative integer, most significant first. */
export function digitsOf(n: bigint): number[] {
  return [...n.toString()].map(Number);
}
