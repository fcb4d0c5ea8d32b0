import { isEquivalent, NeedsSymbolic } from "./equivalent.ts";

/**
 * Whether two extracted answers are one answer by the grader's cheap rules (normalisation,
 * exact rationals, values, structures; no computer algebra): `1/2`, `0.5` and `\frac{2}{4}`
 * are one. Tried both ways round, since a gold-first comparison is not symmetric (`33.3` holds
 * `100/3` at its stated precision, not the reverse). A pair only computer algebra could decide
 * counts as two answers. For majority voting, where every pair of samples may be compared.
 *
 * @example
 * ```ts
 * import { sameAnswer } from "./same_answer.ts";
 * if (!sameAnswer("1/2", "0.5") || !sameAnswer("x = 3", "3")) throw new Error("one answer");
 * if (sameAnswer("1/2", "0.51")) throw new Error("two answers");
 * ```
 */
export function sameAnswer(a: string, b: string): boolean {
  return a === b || cheapEqual(a, b) || cheapEqual(b, a);
}

function cheapEqual(gold: string, pred: string): boolean {
  try {
    return isEquivalent(gold, pred, { symbolic: false }).equal;
  } catch (error) {
    if (error instanceof NeedsSymbolic) return false;
    throw error;
  }
}
