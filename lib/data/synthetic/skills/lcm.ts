import { gcd, randomMultiples } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";
import { euclidSteps } from "./gcd.ts";

/** The problem `lcm(a, b)`: the gcd by Euclid's algorithm, then a*b/gcd. */
export function lcmItem(a: bigint, b: bigint): Item {
  const d = gcd(a, b);
  const l = (a * b) / d;
  return {
    problem: `What is the least common multiple of ${a} and ${b}?`,
    answer: l,
    steps: [
      `${euclidSteps(a, b)}; the gcd is ${d}, so lcm = ${a}*${b}/${d} = ${l}.`,
      `The gcd of ${a} and ${b} is ${d}, so lcm = ${a}*${b}/${d} = ${l}.`,
    ],
    code: `import math\nprint(math.lcm(${a}, ${b}))`,
    key: `lcm:${[a, b].sort()}`,
  };
}

// [common factor lo, hi, cofactor lo, hi] per level.
const SIZES: [number, number, number, number][] = [
  [1, 4, 2, 8],
  [2, 8, 2, 12],
  [2, 20, 2, 30],
  [5, 99, 10, 999],
  [100, 9999, 10000, 999999],
];

/** Least common multiples. */
export const lcm: Skill = {
  name: "lcm",
  description: "lcm(a, b) = a*b / gcd(a, b)",
  levels: [
    "a, b up to about 36",
    "a, b up to about 100",
    "a, b up to about 600",
    "a, b up to 10^5",
    "a, b of 6-10 digits",
  ],
  draw(level, random) {
    return lcmItem(...randomMultiples(random, atLevel(SIZES, level, "lcm")));
  },
};
