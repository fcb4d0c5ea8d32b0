import { loadDataset } from "../../datasets/mod.ts";
import {
  extractAnswer,
  isEquivalent,
  NeedsSymbolic,
  normalizeAnswer,
} from "../../lib/grade/mod.ts";
import { symbolicEqual } from "../../lib/grade/symbolic.ts";
import { cosmeticRewrite, perturb, semanticRewrite } from "../fixtures/answer_rewrites.ts";
import { defineBench } from "./harness.ts";

type Pair = readonly [gold: string, pred: string];

/** Pairs per second of a grading function over the pairs, repeated for at least a second. */
function rate(pairs: Pair[], grade: (gold: string, pred: string) => boolean) {
  let equal = 0;
  let rounds = 0;
  const start = performance.now();
  do {
    equal = 0;
    for (const [g, p] of pairs) if (grade(g, p)) equal++;
    rounds++;
  } while (performance.now() - start < 1000);
  return { perSecond: (rounds * pairs.length) / ((performance.now() - start) / 1000), equal };
}

/** How many pairs the cheap steps cannot settle (they need the computer-algebra library). */
function symbolicCount(pairs: Pair[]): number {
  let count = 0;
  for (const [g, p] of pairs) {
    try {
      isEquivalent(g, p, { symbolic: false });
    } catch (error) {
      if (!(error instanceof NeedsSymbolic)) throw error;
      count++;
    }
  }
  return count;
}

export default defineBench({
  name: "grade",
  description:
    "pairs/s over MATH500 gold answers vs rewritten equivalents, wrong answers and whole solutions (both sides extracted), one core: cascade vs compute engine on every pair",
  async run() {
    // TOCODE_DATA or the dataset cache, as for every task.
    const { problems } = await loadDataset("math500");
    const golds = problems.map((p) => p.answer);
    const solutions = problems.map((p) => String(p.metadata.solution ?? ""));
    const sets: Record<string, Pair[]> = {
      "rewritten equivalents": golds.map((a) => [a, semanticRewrite(a) ?? cosmeticRewrite(a)]),
      "perturbed (wrong) answers": golds.map((a) => [a, perturb(a)]),
      // Free text on the prediction side: the reference solution, its answer boxed somewhere in
      // a few hundred characters of prose and formulas; the gold goes through extraction too.
      "whole solutions (--extract)": golds.map((a, i) => [a, solutions[i]]),
    };
    const extracted = (text: string) => extractAnswer(text)?.answer ?? "";
    isEquivalent("x^2", "\\log_2 x"); // load the compute engine outside the timing

    const plain = {
      cascade: (g: string, p: string) => isEquivalent(g, p).equal,
      // The baseline: no cheap-first steps, the compute engine decides every (normalised) pair.
      engineOnly: (g: string, p: string) =>
        symbolicEqual(normalizeAnswer(g), normalizeAnswer(p), { tolerance: 1e-4 }).equal,
    };
    // With --extract, both sides are extracted first (for both graders alike).
    const withExtraction = {
      cascade: (g: string, p: string) => plain.cascade(extracted(g), extracted(p)),
      engineOnly: (g: string, p: string) => plain.engineOnly(extracted(g), extracted(p)),
    };

    const table: (string | number)[][] = [["pairs", "grader", "n", "equal", "pairs/s"]];
    const figures: Record<string, number> = {};
    const notes: string[] = [];
    for (const [name, pairs] of Object.entries(sets)) {
      const key = name.startsWith("rewritten")
        ? ""
        : name.startsWith("perturbed")
        ? "perturbed_"
        : "extract_";
      const graders = key === "extract_" ? withExtraction : plain;
      const symbolic = symbolicCount(
        key === "extract_" ? pairs.map(([g, p]) => [extracted(g), extracted(p)]) : pairs,
      );
      const fast = rate(pairs, graders.cascade);
      const slow = rate(pairs, graders.engineOnly);
      table.push(
        [
          name,
          "cascade (exact → rational → numeric → symbolic)",
          pairs.length,
          fast.equal,
          Math.round(fast.perSecond),
        ],
        [
          name,
          "compute engine on every pair (baseline)",
          pairs.length,
          slow.equal,
          Math.round(slow.perSecond),
        ],
      );
      notes.push(
        `${name}: ${symbolic} of ${pairs.length} pairs (${
          (100 * symbolic / pairs.length).toFixed(1)
        }%) reached the symbolic step`,
      );
      figures[`${key}cascade_pairs_per_s`] = Math.round(fast.perSecond);
      figures[`${key}engine_only_pairs_per_s`] = Math.round(slow.perSecond);
      figures[`${key}speedup_x`] = Number((fast.perSecond / slow.perSecond).toFixed(1));
      figures[`${key}symbolic_share`] = Number((symbolic / pairs.length).toFixed(3));
      figures[`${key}cascade_equal_share`] = Number((fast.equal / pairs.length).toFixed(3));
      figures[`${key}engine_only_equal_share`] = Number((slow.equal / pairs.length).toFixed(3));
    }
    notes.push(
      "one thread, synchronous isEquivalent(); the grader's worker round trip is not timed",
    );
    return { table, figures, notes };
  },
});
