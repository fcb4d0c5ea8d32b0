import type { Item, Skill } from "../skill.ts";
import { drawLongAndShort, LONG_NUMBER_LEVELS, shortTermBelow } from "./_long_factor.ts";

/**
 * The problem `(n * m + r) mod n` with r < n: the product is a multiple of the divisor, so the
 * remainder is r. The text step copies r; a program copies n twice.
 */
export function remainderOfMultipleItem(n: bigint, m: bigint, r: bigint): Item {
  if (!(r >= 0n && r < n)) {
    throw new RangeError(
      `Cannot write a remainder-of-multiple problem: need 0 <= r < n, got r ${r}, n ${n}`,
    );
  }
  return {
    problem: `What is the remainder when ${n} * ${m} + ${r} is divided by ${n}?`,
    answer: r,
    steps: [
      `The product is a multiple of the divisor, and ${r} is less than the divisor, so the remainder is ${r}.`,
    ],
    code: `print((${n} * ${m} + ${r}) % ${n})`,
    key: `remmul:${n}:${m}:${r}`,
  };
}

/** Remainders of a multiple of the divisor plus a smaller term. */
export const remainderOfMultiple: Skill = {
  name: "remainder_of_multiple",
  description: "(n * m + r) mod n = r: the text step is one fact, a program copies n twice",
  levels: LONG_NUMBER_LEVELS,
  draw(level, random) {
    const { n, m } = drawLongAndShort(level, random, "remainder_of_multiple");
    return remainderOfMultipleItem(n, m, shortTermBelow(n, random));
  },
};
