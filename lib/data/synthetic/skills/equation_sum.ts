import type { Item, Skill } from "../skill.ts";
import { drawLongAndShort, LONG_NUMBER_LEVELS } from "./_long_factor.ts";

/** The equation `x + n = n + m`: subtracting n from both sides gives x = m. */
export function equationSumItem(n: bigint, m: bigint): Item {
  return {
    problem: `Solve for x: x + ${n} = ${n} + ${m}.`,
    answer: m,
    steps: [`Subtracting the same number from both sides gives x = ${m}.`],
    code: `print(${n} + ${m} - ${n})`,
    key: `eqsum:${n}:${m}`,
  };
}

/** Equations whose sides share a term. */
export const equationSum: Skill = {
  name: "equation_sum",
  description: "x + n = n + m, so x = m: the text step is one fact, a program copies n twice",
  levels: LONG_NUMBER_LEVELS,
  draw(level, random) {
    const { n, m } = drawLongAndShort(level, random, "equation_sum");
    return equationSumItem(n, m);
  },
};
