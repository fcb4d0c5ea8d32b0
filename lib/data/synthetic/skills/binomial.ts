import { between } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";

/** C(n, k) as the exact running product `n/1, *(n-1)/2, ...`: every step is an integer. */
export function binomialSteps(n: number, k: number): { steps: string; value: bigint } {
  const steps: string[] = [];
  let value = 1n;
  for (let i = 1; i <= k; i++) {
    const next = (value * BigInt(n - i + 1)) / BigInt(i);
    steps.push(i === 1 ? `${n}/1 = ${next}` : `${value}*${n - i + 1}/${i} = ${next}`);
    value = next;
  }
  return { steps: `C(${n}, ${k}): ${steps.join(", ")}.`, value };
}

/** The problem `n choose k`; for k over n/2 the solution first uses C(n, k) = C(n, n - k). */
export function binomialItem(n: number, k: number): Item {
  const small = Math.min(k, n - k);
  const { steps, value } = binomialSteps(n, small);
  const mirror = small === k ? "" : `C(${n}, ${k}) = C(${n}, ${small}). `;
  return {
    problem: `What is ${n} choose ${k}?`,
    answer: value,
    steps: [mirror + steps, `C(${n}, ${k}) = ${n}!/(${k}!*${n - k}!) = ${value}.`],
    code: `import math\nprint(math.comb(${n}, ${k}))`,
    key: `choose:${n}:${k}`,
  };
}

// [n lo, hi, k lo, hi] per level, k at most n/2; half the problems ask for n - k instead.
const SIZES: [number, number, number, number][] = [
  [3, 12, 1, 2],
  [6, 16, 2, 3],
  [10, 25, 3, 5],
  [20, 40, 6, 10],
  [50, 150, 15, 60],
];

/** Binomial coefficients. */
export const binomial: Skill = {
  name: "binomial",
  description: "n choose k, as a running product of exact quotients",
  levels: [
    "n 3-12, k 1-2",
    "n 6-16, k 2-3",
    "n 10-25, k 3-5",
    "n 20-40, k 6-10",
    "n 50-150, k 15-60",
  ],
  draw(level, random) {
    const [nlo, nhi, klo, khi] = atLevel(SIZES, level, "binomial");
    const n = between(random, nlo, nhi);
    const k = between(random, klo, Math.min(khi, Math.floor(n / 2)));
    return binomialItem(n, random.int(2) === 1 ? n - k : k);
  },
};
