import type { Item, Skill } from "../skill.ts";
import { drawLongAndShort, LONG_NUMBER_LEVELS } from "./_long_factor.ts";

/** The problem `n + m - n`: adding and subtracting the same number cancel, leaving m. */
export function cancelSumItem(n: bigint, m: bigint): Item {
  return {
    problem: `What is ${n} + ${m} - ${n}?`,
    answer: m,
    steps: [`Adding a number and subtracting the same number cancel out, leaving ${m}.`],
    code: `print(${n} + ${m} - ${n})`,
    key: `cancelsum:${n}:${m}`,
  };
}

/** A sum minus one of its terms. */
export const cancelSum: Skill = {
  name: "cancel_sum",
  description: "n + m - n = m: the text step is one fact, a program copies n twice",
  levels: LONG_NUMBER_LEVELS,
  draw(level, random) {
    const { n, m } = drawLongAndShort(level, random, "cancel_sum");
    return cancelSumItem(n, m);
  },
};
