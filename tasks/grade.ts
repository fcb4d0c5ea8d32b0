import { z } from "zod";
import { createGrader, graderDefaults } from "../lib/grade/mod.ts";
import { defineTask, UsageError } from "../lib/task/mod.ts";

/**
 * `deno task grade`: compare answers with gold answers, one JSON line each. With `--extract`
 * both sides are free text (a completion, a boxed solution, `$35\%$`) and each verdict shows
 * the two extracted answers (`answer`, `gold_answer`), so a user can check what was compared.
 */
export const grade = defineTask({
  name: "grade",
  description:
    "Grade a predicted answer (or a JSONL file of pairs) against gold; one JSON line each.",
  args: z.object({
    gold: z.string().optional().describe("gold answer"),
    pred: z.string().optional().describe("predicted answer (or completion with --extract)"),
    file: z.string().optional().describe("JSONL file of {gold, pred} pairs, graded in order"),
    extract: z.boolean().default(false).describe(
      "extract the answers from free text first, on both sides (a gold may be a whole solution)",
    ),
    lastNumber: z.boolean().default(true).describe(
      "when nothing marks the answer, take the last formula or number of the text",
    ),
    tolerance: z.number().positive().default(graderDefaults.tolerance).describe(
      "relative tolerance for a decimal prediction against an exact gold",
    ),
    timeoutMs: z.number().int().positive().default(graderDefaults.timeoutMs).describe(
      "time limit per pair",
    ),
  }),
  async run(args, ctx) {
    const single = args.gold !== undefined || args.pred !== undefined;
    if (single === (args.file !== undefined)) {
      throw new UsageError("Cannot grade: give either --gold and --pred, or --file");
    }
    if (single && (args.gold === undefined || args.pred === undefined)) {
      throw new UsageError("Cannot grade: --gold and --pred go together");
    }
    const grader = createGrader({ tolerance: args.tolerance, timeoutMs: args.timeoutMs });
    const one = (gold: string, pred: string) =>
      args.extract
        ? grader.gradeCompletion(gold, pred, { lastNumber: args.lastNumber })
        : grader.grade(gold, pred);
    try {
      if (single) {
        ctx.print(JSON.stringify(await one(args.gold!, args.pred!)));
        return;
      }
      const lines = (await Deno.readTextFile(args.file!)).split("\n");
      // Every pair is queued at once (cheap ones resolve inline, the rest wait for the worker);
      // verdicts are printed in input order.
      const results = lines.map((line, i) => {
        if (line.trim() === "") return undefined;
        const where = `${args.file} line ${i + 1}`;
        let row: { gold?: unknown; pred?: unknown };
        try {
          row = JSON.parse(line);
        } catch (error) {
          return { line: i + 1, error: `Cannot grade: ${(error as Error).message} (${where})` };
        }
        if (typeof row?.gold !== "string" || typeof row?.pred !== "string") {
          return {
            line: i + 1,
            error: `Cannot grade: needs string fields "gold" and "pred" (${where})`,
          };
        }
        return one(row.gold, row.pred).then((verdict) => ({ line: i + 1, ...verdict }));
      });
      for (const result of results) if (result) ctx.print(JSON.stringify(await result));
    } finally {
      await grader.close();
    }
  },
});
