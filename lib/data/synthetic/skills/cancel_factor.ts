import type { Item, Skill } from "../skill.ts";
import { drawLongAndShort, LONG_NUMBER_LEVELS } from "./_long_factor.ts";

/** The problem `n * m / n`: multiplying and dividing by the same number cancel, leaving m. */
export function cancelFactorItem(n: bigint, m: bigint): Item {
  return {
    problem: `What is ${n} * ${m} / ${n}?`,
    answer: m,
    steps: [`Multiplying by a number and dividing by the same number cancel out, leaving ${m}.`],
    code: `print(${n} * ${m} // ${n})`,
    key: `cancelmul:${n}:${m}`,
  };
}

/** A product divided by one of its factors. */
export const cancelFactor: Skill = {
  name: "cancel_factor",
  description: "n * m / n = m: the text step is one fact, a program copies n twice",
  levels: LONG_NUMBER_LEVELS,
  draw(level, random) {
    const { n, m } = drawLongAndShort(level, random, "cancel_factor");
    return cancelFactorItem(n, m);
  },
};
