import { euclidPairs, gcd, randomMultiples } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";

/** Euclid's algorithm as divisions: `84 = 2*36 + 12; 36 = 3*12 + 0` (larger number first). */
export function euclidSteps(a: bigint, b: bigint): string {
  const pairs = euclidPairs(a >= b ? a : b, a >= b ? b : a);
  return pairs.slice(0, -1).map(([x, y]) => `${x} = ${x / y}*${y} + ${x % y}`).join("; ");
}

/** The problem `gcd(a, b)` with Euclid's algorithm. */
export function gcdItem(a: bigint, b: bigint): Item {
  const d = gcd(a, b);
  return {
    problem: `What is the greatest common divisor of ${a} and ${b}?`,
    answer: d,
    steps: [
      `${euclidSteps(a, b)}; so the gcd is ${d}.`,
      `${a} = ${d}*${a / d}, ${b} = ${d}*${b / d}, and ${a / d} and ${
        b / d
      } are coprime, so the gcd is ${d}.`,
    ],
    code: `import math\nprint(math.gcd(${a}, ${b}))`,
    key: `gcd:${[a, b].sort()}`,
  };
}

// [common factor lo, hi, cofactor lo, hi] per level.
const SIZES: [number, number, number, number][] = [
  [2, 5, 1, 9],
  [2, 12, 2, 12],
  [2, 50, 2, 40],
  [10, 999, 10, 9999],
  [100, 99999, 100000, 99999999],
];

/** Greatest common divisors. */
export const gcdSkill: Skill = {
  name: "gcd",
  description: "gcd(a, b), by Euclid's algorithm",
  levels: [
    "a, b up to about 50",
    "a, b up to about 150",
    "a, b up to about 2000",
    "a, b up to 10^7",
    "a, b of 7-13 digits",
  ],
  draw(level, random) {
    return gcdItem(...randomMultiples(random, atLevel(SIZES, level, "gcd")));
  },
};
