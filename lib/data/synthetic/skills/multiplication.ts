import { between, randomNumber } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";

/**
 * A number times one digit, from the right: `7*8=56 -> 6; 4*8+5=37 -> 376.` As in column
 * addition, each step writes the digits found so far; the last step writes its whole product.
 */
export function digitMultiplication(a: bigint, digit: number): string {
  const da = [...a.toString()].reverse().map(Number);
  const steps: string[] = [];
  let carry = 0;
  let suffix = "";
  for (let i = 0; i < da.length; i++) {
    const total = da[i] * digit + carry;
    suffix = (i === da.length - 1 ? String(total) : String(total % 10)) + suffix;
    steps.push(`${da[i]}*${digit}${carry ? `+${carry}` : ""}=${total} -> ${suffix}`);
    carry = Math.floor(total / 10);
  }
  return `${steps.join("; ")}.`;
}

/** Partial products by place value: `47*36 = 47*30 + 47*6 = 1410 + 282 = 1692.` */
export function partialProducts(a: bigint, b: bigint): string {
  const digits = [...b.toString()];
  const terms = digits
    .map((d, i) => BigInt(d) * 10n ** BigInt(digits.length - 1 - i))
    .filter((t) => t !== 0n);
  if (terms.length === 1) return `${a}*${b} = ${a * b}.`;
  return `${a}*${b} = ${terms.map((t) => `${a}*${t}`).join(" + ")} = ${
    terms.map((t) => a * t).join(" + ")
  } = ${a * b}.`;
}

/** The problem `a * b`: digit by digit when one factor has one digit, else partial products. */
export function multiplicationItem(a: bigint, b: bigint): Item {
  // The longer factor is multiplied by the digits of the shorter one.
  const [x, y] = a.toString().length >= b.toString().length ? [a, b] : [b, a];
  const detailed = y < 10n ? digitMultiplication(x, Number(y)) : partialProducts(x, y);
  return {
    problem: `What is ${a} * ${b}?`,
    answer: a * b,
    steps: [detailed, `${a} * ${b} = ${a * b}.`],
    code: `print(${a} * ${b})`,
    key: `mul:${[a, b].sort()}`,
  };
}

// Digit counts [lo, hi] of the two factors per level (level 1 is the times table).
const SIZES: [number, number, number, number][] = [
  [1, 2, 1, 1],
  [2, 3, 1, 1],
  [2, 2, 2, 2],
  [3, 5, 2, 3],
  [8, 12, 8, 12],
];

/** Multi-digit multiplication. */
export const multiplication: Skill = {
  name: "multiplication",
  description: "a * b, by one digit at a time or by partial products",
  levels: [
    "2-12 * 2-9 (the times table)",
    "2-3 digits * 1 digit",
    "2 digits * 2 digits",
    "3-5 digits * 2-3 digits",
    "8-12 digits * 8-12 digits",
  ],
  draw(level, random) {
    const [alo, ahi, blo, bhi] = atLevel(SIZES, level, "multiplication");
    if (level === 1) {
      return multiplicationItem(BigInt(between(random, 2, 12)), BigInt(between(random, 2, 9)));
    }
    let a = randomNumber(random, alo, ahi);
    let b = randomNumber(random, blo, bhi);
    // Times one teaches nothing.
    if (a === 1n) a = 2n;
    if (b === 1n) b = 2n;
    return multiplicationItem(a, b);
  },
};
