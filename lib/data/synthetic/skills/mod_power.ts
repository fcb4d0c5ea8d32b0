import { between, modPow } from "../_numbers.ts";
import { atLevel, type Item, type Skill } from "../skill.ts";

/** a^b mod m by multiplying by a, b - 1 times: `Mod 10: 7*7=49 -> 9; 9*7=63 -> 3.` */
export function repeatedMultiplication(a: bigint, b: bigint, m: bigint): string {
  const base = a % m;
  let x = base;
  const steps: string[] = a >= m ? [`${a} -> ${base}`] : [];
  for (let i = 1n; i < b; i++) {
    const p = x * base;
    steps.push(`${x}*${base}=${p} -> ${p % m}`);
    x = p % m;
  }
  return `Mod ${m}: ${steps.join("; ")}.`;
}

/**
 * a^b mod m by repeated squaring, then the product of the squares that make up b:
 * `Mod 91: 7^2: 7*7=49 -> 49, 7^4: 49*49=2401 -> 35; 5=4+1: 35*7=245 -> 63.`
 */
export function repeatedSquaring(a: bigint, b: bigint, m: bigint): string {
  const powers: bigint[] = [a % m]; // a^(2^i) mod m
  const squares: string[] = a >= m ? [`${a} -> ${a % m}`] : [];
  for (let e = 2n; e <= b; e *= 2n) {
    const prev = powers[powers.length - 1];
    const sq = prev * prev;
    powers.push(sq % m);
    squares.push(`${a}^${e}: ${prev}*${prev}=${sq} -> ${sq % m}`);
  }
  const bits = powers.map((_, i) => 1n << BigInt(i)).filter((e) => (b & e) !== 0n);
  const picked = bits.map((e) => powers[e.toString(2).length - 1]);
  const products: string[] = [];
  let x = picked[0];
  for (const p of picked.slice(1)) {
    const prod = x * p;
    products.push(`${x}*${p}=${prod} -> ${prod % m}`);
    x = prod % m;
  }
  const sum = bits.length > 1 ? `${b}=${[...bits].reverse().join("+")}` : `${b}=${b}`;
  return `Mod ${m}: ${squares.join(", ")}; ${sum}${
    products.length ? `: ${products.join("; ")}` : ""
  }.`;
}

/** The problem `a^b mod m`: repeated multiplication for small b, else repeated squaring. */
export function modPowerItem(a: bigint, b: bigint, m: bigint): Item {
  const r = modPow(a, b, m);
  const detailed = b <= 12n ? repeatedMultiplication(a, b, m) : repeatedSquaring(a, b, m);
  return {
    problem: `What is ${a}^${b} mod ${m}?`,
    answer: r,
    steps: [detailed, `By repeated squaring, ${a}^${b} mod ${m} = ${r}.`],
    code: `print(pow(${a}, ${b}, ${m}))`,
    key: `pow:${a}:${b}:${m}`,
  };
}

// [base lo, hi, exponent lo, hi, modulus lo, hi] per level.
const SIZES: [number, number, number, number, number, number][] = [
  [2, 9, 2, 3, 3, 12],
  [2, 12, 4, 6, 5, 20],
  [2, 20, 7, 12, 10, 40],
  [2, 50, 20, 99, 20, 99],
  [2, 99, 100, 9999, 100, 9999],
];

/** Modular powers. */
export const modPower: Skill = {
  name: "mod_power",
  description: "a^b mod m, by repeated multiplication or repeated squaring",
  levels: [
    "a 2-9, b 2-3, m 3-12",
    "a 2-12, b 4-6, m 5-20",
    "a 2-20, b 7-12, m 10-40",
    "a 2-50, b 20-99, m 20-99",
    "a 2-99, b 100-9999, m 100-9999",
  ],
  draw(level, random) {
    const [alo, ahi, blo, bhi, mlo, mhi] = atLevel(SIZES, level, "mod_power");
    return modPowerItem(
      BigInt(between(random, alo, ahi)),
      BigInt(between(random, blo, bhi)),
      BigInt(between(random, mlo, mhi)),
    );
  },
};
