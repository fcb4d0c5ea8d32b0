import { randomNumber } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";

/** The drill `Repeat the number n.`: both solutions copy n into the places problems need it. */
export function copyItem(n: bigint): Item {
  return {
    problem: `Repeat the number ${n}.`,
    answer: n,
    steps: [`The number is ${n}.`],
    code: `print(${n})`,
    key: `copy:${n}`,
  };
}

// [fewest, most] digits per level.
const DIGITS: [number, number][] = [[1, 2], [3, 4], [5, 6], [7, 9], [10, 12]];

/**
 * Copying a number, a drill rather than a curriculum skill: a character-level model has to learn
 * to copy digit strings (operands into code, printed output into the answer) before the other
 * skills can succeed, and plain curriculum data teaches that slowly (docs/method.md).
 */
export const copySkill: Skill = {
  name: "copy",
  description: "repeat a number digit by digit (a drill for the base model's warm-up)",
  levels: ["1-2 digits", "3-4 digits", "5-6 digits", "7-9 digits", "10-12 digits"],
  draw(level, random) {
    return copyItem(randomNumber(random, ...atLevel(DIGITS, level, "copy")));
  },
};
