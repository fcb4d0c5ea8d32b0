import { between, randomNumber } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";

/** The problem `a*x + b = c` (or `a*x - b = c` when b is negative), solved for x. */
export function linearEquationItem(a: bigint, x: bigint, b: bigint): Item {
  const c = a * x + b;
  const sign = b < 0n ? "-" : "+";
  const abs = b < 0n ? -b : b;
  const moved = b < 0n ? `${c} + ${abs}` : `${c} - ${abs}`;
  return {
    problem: `Solve for x: ${a}x ${sign} ${abs} = ${c}.`,
    answer: x,
    steps: [`${a}x = ${moved} = ${c - b}, so x = ${c - b} / ${a} = ${x}.`],
    code: `print((${c} ${b < 0n ? "+" : "-"} ${abs}) // ${a})`,
    key: `lin:${a}:${b}:${c}`,
  };
}

// [a digits lo, hi, x digits lo, hi, b digits lo, hi] per level.
const SIZES: [number, number, number, number, number, number][] = [
  [1, 1, 1, 1, 1, 1],
  [1, 1, 2, 2, 2, 2],
  [2, 2, 2, 3, 3, 3],
  [2, 3, 4, 5, 5, 6],
  [3, 5, 8, 12, 8, 12],
];

/** Linear equations in one unknown. */
export const linearEquation: Skill = {
  name: "linear_equation",
  description: "ax + b = c (or ax - b = c) solved for a positive integer x",
  levels: [
    "a, x, b one digit",
    "a one digit, x and b two digits",
    "a two digits, x 2-3 digits, b three digits",
    "a 2-3 digits, x 4-5 digits, b 5-6 digits",
    "a 3-5 digits, x and b 8-12 digits",
  ],
  draw(level, random) {
    const [alo, ahi, xlo, xhi, blo, bhi] = atLevel(SIZES, level, "linear_equation");
    let a = randomNumber(random, alo, ahi);
    if (a === 1n) a = 2n;
    const x = randomNumber(random, xlo, xhi);
    let b = randomNumber(random, blo, bhi);
    // From level 2 on, half the equations subtract, while c stays positive.
    if (level >= 2 && between(random, 0, 1) === 1 && a * x > b) b = -b;
    return linearEquationItem(a, x, b);
  },
};
