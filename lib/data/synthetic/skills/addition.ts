import { randomNumber } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";

/**
 * Column addition from the right, one step per column: `7+5=12 -> 2; 4+8+1=13 -> 132.` Each
 * step writes the column sum and the digits found so far, so a character-level model copies the
 * growing suffix instead of reversing digits at the end. The last column writes its whole sum.
 */
export function columnAddition(a: bigint, b: bigint): string {
  const da = [...a.toString()].reverse().map(Number);
  const db = [...b.toString()].reverse().map(Number);
  const columns = Math.max(da.length, db.length);
  const steps: string[] = [];
  let carry = 0;
  let suffix = "";
  for (let i = 0; i < columns; i++) {
    const terms = [da[i], db[i], carry || undefined].filter((t) => t !== undefined) as number[];
    const total = terms.reduce((s, t) => s + t, 0);
    suffix = (i === columns - 1 ? String(total) : String(total % 10)) + suffix;
    carry = Math.floor(total / 10);
    const sum = terms.length > 1 ? `${terms.join("+")}=${total}` : `${total}`;
    steps.push(`${sum} -> ${suffix}`);
  }
  return `${steps.join("; ")}.`;
}

/** The problem `a + b` with its column-addition solution. */
export function additionItem(a: bigint, b: bigint): Item {
  return {
    problem: `What is ${a} + ${b}?`,
    answer: a + b,
    steps: [columnAddition(a, b), `${a} + ${b} = ${a + b}.`],
    code: `print(${a} + ${b})`,
    key: `add:${[a, b].sort()}`,
  };
}

// Digit counts [lo, hi] of the two operands per level.
const SIZES: [number, number, number, number][] = [
  [1, 1, 1, 2],
  [2, 2, 2, 3],
  [3, 4, 3, 4],
  [5, 7, 5, 7],
  [8, 12, 8, 12],
];

/** Multi-digit addition. */
export const addition: Skill = {
  name: "addition",
  description: "a + b, solved column by column with carries",
  levels: [
    "1-digit + 1- or 2-digit",
    "2-digit + 2- or 3-digit",
    "3-4 digits each",
    "5-7 digits each",
    "8-12 digits each",
  ],
  draw(level, random) {
    const [alo, ahi, blo, bhi] = atLevel(SIZES, level, "addition");
    return additionItem(randomNumber(random, alo, ahi), randomNumber(random, blo, bhi));
  },
};
