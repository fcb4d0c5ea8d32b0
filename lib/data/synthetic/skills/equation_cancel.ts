import type { Item, Skill } from "../skill.ts";
import { drawLongAndShort, LONG_NUMBER_LEVELS } from "./_long_factor.ts";

/** The equation `n x = n * m`: dividing both sides by n gives x = m. */
export function equationCancelItem(n: bigint, m: bigint): Item {
  return {
    problem: `Solve for x: ${n}x = ${n} * ${m}.`,
    answer: m,
    steps: [`Dividing both sides by the same number gives x = ${m}.`],
    code: `print(${n} * ${m} // ${n})`,
    key: `eqmul:${n}:${m}`,
  };
}

/** Equations whose sides share a factor. */
export const equationCancel: Skill = {
  name: "equation_cancel",
  description: "n x = n * m, so x = m: the text step is one fact, a program copies n twice",
  levels: LONG_NUMBER_LEVELS,
  draw(level, random) {
    const { n, m } = drawLongAndShort(level, random, "equation_cancel");
    return equationCancelItem(n, m);
  },
};
