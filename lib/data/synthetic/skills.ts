import type { SeededRandom } from "../seeded_random.ts";

/** One generated problem before it becomes a Problem row. */
export interface Item {
  problem: string;
  answer: bigint;
  /** Short step-by-step reasoning, ending before the final answer sentence. */
  steps: string;
  /** Python that prints the answer. */
  code: string;
}

/** A skill: how to draw a problem of a level (1 = easy for plain reasoning, 5 = needs code). */
export type Skill = (level: number, random: SeededRandom) => Item;

/** A random integer with exactly `digits` digits. */
function digits(random: SeededRandom, count: number): bigint {
  let s = String(1 + random.int(9));
  for (let i = 1; i < count; i++) s += String(random.int(10));
  return BigInt(s);
}

const between = (random: SeededRandom, lo: number, hi: number) => lo + random.int(hi - lo + 1);

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

function choose(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** The skills of the curriculum, by name. */
export const skills: Record<string, Skill> = {
  addition(level, random) {
    const size = [1, 2, 4, 7, 11][level - 1];
    const a = digits(random, size);
    const b = digits(random, Math.max(1, size - random.int(2)));
    return {
      problem: `What is ${a} + ${b}?`,
      answer: a + b,
      steps: `${a} + ${b} = ${a + b}.`,
      code: `print(${a} + ${b})`,
    };
  },
  multiplication(level, random) {
    const [x, y] = [[1, 1], [2, 1], [2, 2], [3, 3], [5, 4]][level - 1];
    const a = digits(random, x);
    const b = digits(random, y);
    return {
      problem: `What is ${a} * ${b}?`,
      answer: a * b,
      steps: `${a} * ${b} = ${a * b}.`,
      code: `print(${a} * ${b})`,
    };
  },
  remainder(level, random) {
    if (level <= 3) {
      const a = digits(random, [2, 3, 5][level - 1]);
      const m = BigInt(between(random, 2, [9, 12, 30][level - 1]));
      const q = a / m;
      return {
        problem: `What is the remainder when ${a} is divided by ${m}?`,
        answer: a % m,
        steps: `${a} = ${m} * ${q} + ${a % m}.`,
        code: `print(${a} % ${m})`,
      };
    }
    const base = BigInt(between(random, 2, 20));
    const exp = BigInt(between(random, level === 4 ? 20 : 100, level === 4 ? 60 : 999));
    const m = BigInt(between(random, 7, level === 4 ? 50 : 1000));
    return {
      problem: `What is ${base}^${exp} mod ${m}?`,
      answer: modPow(base, exp, m),
      steps: `Reduce ${base}^${exp} modulo ${m} by repeated squaring: ${modPow(base, exp, m)}.`,
      code: `print(pow(${base}, ${exp}, ${m}))`,
    };
  },
  gcd(level, random) {
    const g = BigInt(between(random, 2, [9, 20, 60, 400, 5000][level - 1]));
    const a = g * BigInt(between(random, 1, [9, 10, 50, 500, 9000][level - 1]));
    const b = g * BigInt(between(random, 1, [9, 10, 50, 500, 9000][level - 1]));
    const d = gcd(a, b);
    return {
      problem: `What is the greatest common divisor of ${a} and ${b}?`,
      answer: d,
      steps: `${a} = ${d} * ${a / d} and ${b} = ${d} * ${b / d}, with ${a / d} and ${
        b / d
      } coprime.`,
      code: `import math\nprint(math.gcd(${a}, ${b}))`,
    };
  },
  digit_sum(level, random) {
    const k = between(random, [3, 7, 15, 40, 120][level - 1], [6, 14, 30, 90, 400][level - 1]);
    const n = 2n ** BigInt(k);
    const sum = [...String(n)].reduce((s, c) => s + BigInt(c), 0n);
    return {
      problem: `What is the sum of the digits of 2^${k}?`,
      answer: sum,
      steps: String(n).length <= 10
        ? `2^${k} = ${n}, and ${[...String(n)].join(" + ")} = ${sum}.`
        : `2^${k} = ${n}, whose digits add up to ${sum}.`,
      code: `print(sum(int(d) for d in str(2**${k})))`,
    };
  },
  binomial(level, random) {
    const n = between(random, [3, 6, 10, 20, 40][level - 1], [12, 16, 24, 35, 80][level - 1]);
    const k = between(random, 1, Math.min(n - 1, [2, 3, 5, 8, 20][level - 1]));
    const c = choose(n, k);
    return {
      problem: `What is ${n} choose ${k}?`,
      answer: c,
      steps: `C(${n}, ${k}) = ${n}! / (${k}! * ${n - k}!) = ${c}.`,
      code: `import math\nprint(math.comb(${n}, ${k}))`,
    };
  },
  linear_equation(level, random) {
    const size = [1, 2, 3, 5, 8][level - 1];
    const a = digits(random, Math.max(1, size - 1)) + 1n;
    const x = digits(random, size);
    const b = digits(random, size);
    const c = a * x + b;
    return {
      problem: `Solve for x: ${a}x + ${b} = ${c}.`,
      answer: x,
      steps: `${a}x = ${c} - ${b} = ${c - b}, so x = ${c - b} / ${a} = ${x}.`,
      code: `print((${c} - ${b}) // ${a})`,
    };
  },
  arithmetic_sum(level, random) {
    const n = BigInt(
      between(random, [3, 8, 20, 100, 1000][level - 1], [6, 15, 60, 900, 99999][level - 1]),
    );
    const a = BigInt(between(random, 1, [5, 9, 20, 100, 1000][level - 1]));
    const d = BigInt(between(random, 1, [3, 5, 9, 30, 200][level - 1]));
    const sum = (n * (2n * a + (n - 1n) * d)) / 2n;
    return {
      problem: `What is the sum of the first ${n} terms of the arithmetic sequence ${a}, ${
        a + d
      }, ${a + 2n * d}, ...?`,
      answer: sum,
      steps: `The last term is ${a} + ${n - 1n} * ${d} = ${
        a + (n - 1n) * d
      }, so the sum is ${n} * (${a} + ${a + (n - 1n) * d}) / 2 = ${sum}.`,
      code: `print(sum(${a} + ${d} * i for i in range(${n})))`,
    };
  },
};
