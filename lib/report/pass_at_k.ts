/**
 * The unbiased pass@k estimator of Chen et al. (2021): the probability that at least one of k
 * samples drawn without replacement from n samples, c of them correct, is correct:
 * 1 - C(n-c, k) / C(n, k), computed as a product so large n does not overflow.
 *
 * @example
 * ```ts
 * import { passAtK } from "./pass_at_k.ts";
 * if (passAtK(4, 1, 1) !== 0.25) throw new Error("pass@1 is the share correct");
 * if (passAtK(4, 1, 4) !== 1) throw new Error("all 4 drawn include the correct one");
 * ```
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!(k >= 1 && k <= n)) {
    throw new RangeError(`Cannot compute pass@${k}: needs 1 <= k <= n samples (n = ${n})`);
  }
  if (c < 0 || c > n) throw new RangeError(`Cannot compute pass@${k}: ${c} correct of ${n}`);
  if (n - c < k) return 1;
  let allWrong = 1;
  for (let i = n - c + 1; i <= n; i++) allWrong *= 1 - k / i;
  return 1 - allWrong;
}
