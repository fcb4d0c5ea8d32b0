import { digitsOf, randomNumber } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";

/** A running sum of digits: `4+8=12, 12+2=14, 14+1=15.` */
export function runningDigitSum(n: bigint): string {
  const digits = digitsOf(n);
  if (digits.length === 1) return `${n} has one digit.`;
  const steps: string[] = [];
  let total = digits[0];
  for (const d of digits.slice(1)) {
    steps.push(`${total}+${d}=${total + d}`);
    total += d;
  }
  return `${steps.join(", ")}.`;
}

/** Powers by repeated multiplication: `7^2 = 49, 7^3 = 343.` */
export function powerChain(base: number, exp: number): string {
  const steps: string[] = [];
  for (let k = 2; k <= exp; k++) steps.push(`${base}^${k} = ${BigInt(base) ** BigInt(k)}`);
  return steps.join(", ");
}

/** The digit sum of `n`, or of `base^exp` when a power is given. */
export function digitSumItem(n: bigint | { base: number; exp: number }): Item {
  const value = typeof n === "bigint" ? n : BigInt(n.base) ** BigInt(n.exp);
  const sum = BigInt(digitsOf(value).reduce((s, d) => s + d, 0));
  const running = runningDigitSum(value);
  const steps = typeof n === "bigint" ? [running, `The digits of ${n} add up to ${sum}.`] : [
    `${powerChain(n.base, n.exp)}. Digits: ${running}`,
    `${n.base}^${n.exp} = ${value}. Digits: ${running}`,
    `${n.base}^${n.exp} = ${value}, whose digits add up to ${sum}.`,
    `The digits of ${n.base}^${n.exp} add up to ${sum}.`,
  ];
  const shown = typeof n === "bigint" ? `${n}` : `${n.base}^${n.exp}`;
  return {
    problem: `What is the sum of the digits of ${shown}?`,
    answer: sum,
    steps,
    code: `print(sum(int(d) for d in str(${typeof n === "bigint" ? n : `${n.base}**${n.exp}`})))`,
    key: `digits:${value}`,
  };
}

// Level 1-2: a given number of [lo, hi] digits; 3-5: base^exp with about [lo, hi] digits.
const SIZES: [number, number][] = [[3, 4], [6, 9], [3, 6], [12, 25], [60, 150]];
// Powers of 10 have digit sum 1: no base 10.
const BASES = [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19];

/** Digit sums of numbers and of powers. */
export const digitSum: Skill = {
  name: "digit_sum",
  description: "the sum of the digits of a number or of a power b^k",
  levels: [
    "a 3-4 digit number",
    "a 6-9 digit number",
    "b^k with 3-6 digits",
    "b^k with 12-25 digits",
    "b^k with 60-150 digits",
  ],
  draw(level, random) {
    const [lo, hi] = atLevel(SIZES, level, "digit_sum");
    if (level <= 2) return digitSumItem(randomNumber(random, lo, hi));
    // A base, then an exponent that gives about the wanted number of digits.
    const base = BASES[random.int(BASES.length)];
    const perDigit = Math.log10(base);
    const min = Math.max(2, Math.ceil((lo - 1) / perDigit));
    const exp = min + random.int(Math.max(1, Math.floor(hi / perDigit) - min + 1));
    return digitSumItem({ base, exp });
  },
};
