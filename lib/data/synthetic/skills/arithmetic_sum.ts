import { between } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";

/** The problem: the sum of the first n terms of a, a+d, a+2d, ... */
export function arithmeticSumItem(n: bigint, a: bigint, d: bigint): Item {
  const last = a + (n - 1n) * d;
  const sum = (n * (a + last)) / 2n;
  const formula = `Last term: ${a} + ${
    n - 1n
  }*${d} = ${last}. Sum: ${n}*(${a} + ${last})/2 = ${n}*${a + last}/2 = ${sum}.`;
  const steps = [formula];
  if (n <= 6n) {
    const terms = Array.from({ length: Number(n) }, (_, i) => a + BigInt(i) * d);
    const partial: string[] = [];
    let total = terms[0];
    for (const t of terms.slice(1)) {
      partial.push(`${total}+${t}=${total + t}`);
      total += t;
    }
    steps.unshift(`Terms: ${terms.join(", ")}. Sum: ${partial.join(", ")}.`);
  }
  return {
    problem: `What is the sum of the first ${n} terms of the arithmetic sequence ${a}, ${a + d}, ${
      a + 2n * d
    }, ...?`,
    answer: sum,
    steps,
    code: `print(sum(${a} + ${d}*i for i in range(${n})))`,
    key: `asum:${n}:${a}:${d}`,
  };
}

// [n lo, hi, first term lo, hi, difference lo, hi] per level.
const SIZES: [number, number, number, number, number, number][] = [
  [3, 5, 1, 9, 1, 4],
  [5, 12, 1, 20, 1, 6],
  [12, 50, 1, 50, 2, 9],
  [100, 999, 10, 999, 10, 99],
  [10000, 99999, 1000, 9999, 100, 999],
];

/** Sums of arithmetic sequences. */
export const arithmeticSum: Skill = {
  name: "arithmetic_sum",
  description: "the sum of the first n terms of an arithmetic sequence",
  levels: [
    "n 3-5, small terms: add the terms",
    "n 5-12, first term up to 20",
    "n 12-50, first term up to 50",
    "n 100-999, three-digit terms",
    "n 10^4-10^5, four-digit terms",
  ],
  draw(level, random) {
    const [nlo, nhi, alo, ahi, dlo, dhi] = atLevel(SIZES, level, "arithmetic_sum");
    return arithmeticSumItem(
      BigInt(between(random, nlo, nhi)),
      BigInt(between(random, alo, ahi)),
      BigInt(between(random, dlo, dhi)),
    );
  },
};
