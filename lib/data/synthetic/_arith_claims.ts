/** One `a = b = c` chain of a solution, with the value of each side that is plain arithmetic. */
export interface Claim {
  clause: string;
  sides: string[];
  values: bigint[];
}

// Where one claim ends: clause punctuation, the `->` of a carried step, a line end.
const SEPARATORS = /;|,|:|->|\n|\.(?:\s|$)/;
const ARITHMETIC = /^[0-9+\-*/^() ]+$/;

/**
 * The arithmetic claims of a worked solution: every clause's sides of `=` that are integer
 * arithmetic (`+ - * / ^`, parentheses), evaluated exactly. A test checks that each claim's values
 * are all equal. Sides with words or symbols (`7x`, `C(12, 2)`, `n!`) are left out.
 */
export function arithmeticClaims(text: string): Claim[] {
  const claims: Claim[] = [];
  for (const clause of text.split(SEPARATORS)) {
    const sides = clause.split("=").map((s) => s.trim()).filter((s) => ARITHMETIC.test(s));
    const values = sides.map(evaluate);
    const kept = sides.filter((_, i) => values[i] !== undefined);
    if (kept.length >= 2) {
      claims.push({
        clause,
        sides: kept,
        values: values.filter((v): v is bigint => v !== undefined),
      });
    }
  }
  return claims;
}

/**
 * Exact value of an integer expression, or undefined when it does not parse. A division that
 * leaves a remainder evaluates to -10^100, a value no claim of the curriculum has.
 */
export function evaluate(expression: string): bigint | undefined {
  const tokens = expression.match(/\d+|[+\-*/^()]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const primary = (): bigint => {
    const t = tokens[i++];
    if (t === "(") {
      const v = sum();
      if (tokens[i++] !== ")") throw new SyntaxError("unbalanced");
      return v;
    }
    if (t === undefined || !/^\d+$/.test(t)) throw new SyntaxError("number expected");
    return BigInt(t);
  };
  const power = (): bigint => {
    const base = primary();
    if (peek() !== "^") return base;
    i++;
    return base ** power();
  };
  const product = (): bigint => {
    let v = power();
    while (peek() === "*" || peek() === "/") {
      const op = tokens[i++];
      const r = power();
      if (op === "*") v *= r;
      else v = r !== 0n && v % r === 0n ? v / r : INEXACT;
    }
    return v;
  };
  const sum = (): bigint => {
    let v = product();
    while (peek() === "+" || peek() === "-") {
      v = tokens[i++] === "+" ? v + product() : v - product();
    }
    return v;
  };
  try {
    const v = sum();
    return i === tokens.length ? v : undefined;
  } catch {
    return undefined;
  }
}

const INEXACT = -1n * 10n ** 100n;
