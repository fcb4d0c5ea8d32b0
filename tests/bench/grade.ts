import { loadDataset } from "../../lib/data/load_dataset.ts";
import { isEquivalent, NeedsSymbolic, normalizeAnswer } from "../../lib/grade/mod.ts";
import { symbolicEqual } from "../../lib/grade/symbolic.ts";
import { cosmeticRewrite, semanticRewrite } from "../fixtures/answer_rewrites.ts";
import { defineBench } from "./harness.ts";

export default defineBench({
  name: "grade",
  description:
    "pairs/s over MATH500 gold answers vs rewritten equivalents, one core: cascade vs symbolic-only",
  async run() {
    const dataDir = Deno.env.get("TOCODE_DATA") ??
      new URL("../../../shared/datasets", import.meta.url).pathname;
    const { problems } = await loadDataset("math500", { dataDir });
    const pairs = problems.map((p) =>
      [p.answer, semanticRewrite(p.answer) ?? cosmeticRewrite(p.answer)] as const
    );
    isEquivalent("x^2", "x\\cdot x"); // load the compute engine outside the timing

    let symbolic = 0;
    for (const [g, p] of pairs) {
      try {
        isEquivalent(g, p, { symbolic: false });
      } catch (error) {
        if (error instanceof NeedsSymbolic) symbolic++;
        else throw error;
      }
    }
    const rounds = 5;
    let start = performance.now();
    let equal = 0;
    for (let r = 0; r < rounds; r++) {
      for (const [g, p] of pairs) if (isEquivalent(g, p).equal) equal++;
    }
    const cascadeRate = (rounds * pairs.length) / ((performance.now() - start) / 1000);

    start = performance.now();
    let baselineEqual = 0;
    for (const [g, p] of pairs) {
      if (symbolicEqual(normalizeAnswer(g), normalizeAnswer(p), { tolerance: 1e-4 }).equal) {
        baselineEqual++;
      }
    }
    const baselineRate = pairs.length / ((performance.now() - start) / 1000);
    return {
      table: [
        ["grader", "pairs", "equal", "pairs/s"],
        [
          "cascade (exact → rational → symbolic)",
          pairs.length,
          equal / rounds,
          Math.round(cascadeRate),
        ],
        [
          "compute engine on every pair (baseline)",
          pairs.length,
          baselineEqual,
          Math.round(baselineRate),
        ],
      ],
      notes: [
        `${symbolic} of ${pairs.length} pairs (${
          (100 * symbolic / pairs.length).toFixed(1)
        }%) reached the symbolic step`,
      ],
      figures: {
        cascade_pairs_per_s: Math.round(cascadeRate),
        symbolic_only_pairs_per_s: Math.round(baselineRate),
        ratio: Number((cascadeRate / baselineRate).toFixed(1)),
        symbolic_share: Number((symbolic / pairs.length).toFixed(3)),
        equal_share: Number((equal / rounds / pairs.length).toFixed(3)),
      },
    };
  },
});
