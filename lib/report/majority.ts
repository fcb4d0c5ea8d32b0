import { sameAnswer } from "../grade/same_answer.ts";

/** One sample's vote: its extracted answer and whether that answer is right. */
export interface Vote {
  /** The extracted answer; null when none was extracted (such samples do not vote). */
  key: string | null;
  correct: boolean;
}

/** Options of {@linkcode majorityAtK}. */
export interface MajorityOptions {
  /** Whether two answers are one vote; by default the grader's equivalence, without algebra. */
  same?: (a: string, b: string) => boolean;
}

/**
 * maj@k: whether the most frequent answer among the first k samples is correct. Answers vote by
 * equivalence class, as the grader finds them (`1/2` and `0.5` are one vote), not by string; a
 * class is represented by its first answer, and is correct when that answer was graded so.
 * Samples without an answer do not vote; a tie goes to the class that reached the top count
 * first. Returns false when no sample voted.
 *
 * @example
 * ```ts
 * import { majorityAtK } from "./majority.ts";
 * const votes = [
 *   { key: "3", correct: false }, { key: "1/2", correct: true }, { key: "0.5", correct: true },
 * ];
 * if (!majorityAtK(votes, 3)) throw new Error("1/2 and 0.5 win 2 to 1");
 * ```
 */
export function majorityAtK(
  votes: readonly Vote[],
  k: number,
  options: MajorityOptions = {},
): boolean {
  const same = options.same ?? sameAnswer;
  const classes: { key: string; n: number; correct: boolean }[] = [];
  let best: { n: number; correct: boolean } | undefined;
  for (const vote of votes.slice(0, k)) {
    if (vote.key === null) continue;
    const key = vote.key;
    let entry = classes.find((c) => c.key === key) ?? classes.find((c) => same(c.key, key));
    if (!entry) {
      entry = { key, n: 0, correct: vote.correct };
      classes.push(entry);
    }
    entry.n++;
    if (!best || entry.n > best.n) best = entry;
  }
  return best?.correct ?? false;
}
