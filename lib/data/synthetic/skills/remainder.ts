import { between, randomNumber } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";

/**
 * Long division keeping only the remainder, one digit at a time:
 * `47 = 2*23 + 1; 11 = 0*23 + 11; 112 = 4*23 + 20.` Every quotient is a single digit, so each
 * step is small enough for plain reasoning; the number of steps grows with the dividend.
 */
export function longDivision(a: bigint, m: bigint): string {
  const digits = a.toString();
  // Start from the shortest prefix that is at least m, as long division does.
  let i = 1;
  while (i < digits.length && BigInt(digits.slice(0, i)) < m) i++;
  let n = BigInt(digits.slice(0, i));
  const steps: string[] = [];
  for (;;) {
    const r = n % m;
    steps.push(`${n} = ${n / m}*${m} + ${r}`);
    if (i >= digits.length) break;
    n = r * 10n + BigInt(digits[i++]);
  }
  return `${steps.join("; ")}.`;
}

/** The problem `a mod m` with its long-division solution. */
export function remainderItem(a: bigint, m: bigint): Item {
  return {
    problem: `What is the remainder when ${a} is divided by ${m}?`,
    answer: a % m,
    steps: [longDivision(a, m), `${a} = ${a / m}*${m} + ${a % m}.`],
    code: `print(${a} % ${m})`,
    key: `rem:${a}:${m}`,
  };
}

// [dividend digits lo, hi, divisor lo, hi] per level.
const SIZES: [number, number, number, number][] = [
  [2, 2, 2, 9],
  [3, 3, 3, 12],
  [4, 5, 11, 40],
  [7, 9, 41, 99],
  [15, 20, 101, 9999],
];

/** Remainders of division. */
export const remainder: Skill = {
  name: "remainder",
  description: "a mod m, by long division keeping the remainder",
  levels: [
    "2 digits mod 2-9",
    "3 digits mod 3-12",
    "4-5 digits mod 11-40",
    "7-9 digits mod 41-99",
    "15-20 digits mod 101-9999",
  ],
  draw(level, random) {
    const [lo, hi, mlo, mhi] = atLevel(SIZES, level, "remainder");
    return remainderItem(randomNumber(random, lo, hi), BigInt(between(random, mlo, mhi)));
  },
};
