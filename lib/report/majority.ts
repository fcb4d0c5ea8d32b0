/** One sample's vote: its answer's key (a normalised answer) and whether that answer is right. */
export interface Vote {
  /** Normalised answer; null when none was extracted (such samples do not vote). */
  key: string | null;
  correct: boolean;
}

/**
 * maj@k: whether the most frequent answer among the first k samples is correct. Samples without
 * an answer do not vote; a tie goes to the answer that reached the top count first. Returns false
 * when no sample voted.
 *
 * @example
 * ```ts
 * import { majorityAtK } from "./majority.ts";
 * const votes = [
 *   { key: "3", correct: false }, { key: "4", correct: true }, { key: "4", correct: true },
 * ];
 * if (!majorityAtK(votes, 3)) throw new Error("4 wins 2 to 1");
 * ```
 */
export function majorityAtK(votes: readonly Vote[], k: number): boolean {
  const counts = new Map<string, { n: number; correct: boolean }>();
  let best: { n: number; correct: boolean } | undefined;
  for (const vote of votes.slice(0, k)) {
    if (vote.key === null) continue;
    const entry = counts.get(vote.key) ?? { n: 0, correct: vote.correct };
    entry.n++;
    counts.set(vote.key, entry);
    if (!best || entry.n > best.n) best = entry;
  }
  return best?.correct ?? false;
}
