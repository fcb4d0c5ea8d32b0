import type { Item, Skill } from "../skill.ts";
import { drawLongAndShort, LONG_NUMBER_LEVELS, shortTermBelow } from "./_long_factor.ts";

/**
 * The problem `(n * m + r) // n` with r < n: the product is m times the divisor and the added term
 * is smaller than it, so the quotient is m. The text step copies m; a program copies n twice.
 */
export function quotientOfMultipleItem(n: bigint, m: bigint, r: bigint): Item {
  if (!(r >= 0n && r < n)) {
    throw new RangeError(
      `Cannot write a quotient-of-multiple problem: need 0 <= r < n, got r ${r}, n ${n}`,
    );
  }
  return {
    problem: `What is the quotient when ${n} * ${m} + ${r} is divided by ${n}?`,
    answer: m,
    steps: [
      `The product is ${m} times the divisor and the added term is less than the divisor, so the quotient is ${m}.`,
    ],
    code: `print((${n} * ${m} + ${r}) // ${n})`,
    key: `quomul:${n}:${m}:${r}`,
  };
}

/** Quotients of a multiple of the divisor plus a smaller term. */
export const quotientOfMultiple: Skill = {
  name: "quotient_of_multiple",
  description: "(n * m + r) // n = m: the text step is one fact, a program copies n twice",
  levels: LONG_NUMBER_LEVELS,
  draw(level, random) {
    const { n, m } = drawLongAndShort(level, random, "quotient_of_multiple");
    return quotientOfMultipleItem(n, m, shortTermBelow(n, random));
  },
};
