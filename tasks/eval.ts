import { join } from "node:path";
import { z } from "zod";
import { loadDataset, selectionArgs, selectProblems } from "../lib/data/mod.ts";
import type { Problem } from "../lib/data/mod.ts";
import { createGrader } from "../lib/grade/mod.ts";
import { evalSummary, formatSummary, rescoreRun } from "../lib/report/mod.ts";
import { type Mode, openRolloutTools, rolloutPass } from "../lib/rollout/mod.ts";
import { beginRun, finishRun, getRun } from "../lib/store/mod.ts";
import { defineTask, UsageError } from "../lib/task/mod.ts";

import { passSettings, rolloutArgs } from "./_rollout_args.ts";

/** `deno task eval`: tool-integrated evaluation of a model over benchmarks, into the store. */
export const evalTask = defineTask({
  name: "eval",
  description: "Evaluate a model with tool-integrated reasoning over MATH500/AIME/...; resumable.",
  args: z.object({
    ...rolloutArgs.shape,
    model: rolloutArgs.shape.model.optional(),
    dataset: z.array(z.string()).default(["math500"]).describe(
      "dataset name or JSONL path (repeatable)",
    ),
    ...selectionArgs.shape,
    mode: z.enum(["auto", "text", "code"]).default("auto").describe(
      "text: no code; code: the paper's code trigger; auto: the model decides",
    ),
    n: z.number().int().positive().default(1).describe("samples per problem in --mode"),
    selectionK: z.number().int().min(0).default(0).describe(
      "also run K text and K code rollouts per problem, for code-selection accuracy",
    ),
    rescore: z.string().optional().describe(
      "re-grade the stored completions of this run with the current grader (no model calls)",
    ),
    summary: z.string().optional().describe("JSON summary file (default: next to the store)"),
  }),
  async run(args, ctx) {
    const store = await ctx.store(args.db);
    if (args.rescore) {
      const grader = createGrader();
      const changed = await rescoreRun(store, args.rescore, { grader, signal: ctx.signal })
        .finally(() => grader.close());
      ctx.log.info(
        `rescored ${changed.total} samples of ${args.rescore}: ${changed.changed} verdicts changed`,
      );
      // Summarise the way the run was made, whatever this call's flags say.
      const original = (await getRun(store, args.rescore))?.args ?? {};
      return await report(
        args.rescore,
        String(original.mode ?? args.mode),
        Number(original.n ?? args.n),
        args.summary,
      );
    }
    if (!args.model) {
      throw new UsageError("Cannot parse arguments: --model is required (or --rescore RUN)");
    }
    const problems: Problem[] = [];
    for (const name of args.dataset) {
      const loaded = await loadDataset(name, { dataDir: args.dataDir });
      problems.push(...selectProblems(loaded.problems, args));
    }
    const run = await beginRun(store, "eval", { id: args.runId, args });
    ctx.log.info(
      `${
        run.resumed ? "resuming" : "starting"
      } eval run ${run.id} over ${problems.length} problems`,
    );
    const tools = await openRolloutTools({ ...args, model: args.model });
    const samples: Partial<Record<Mode, number>> = { [args.mode]: args.n };
    if (args.selectionK > 0) {
      for (const mode of ["text", "code"] as const) {
        samples[mode] = Math.max(samples[mode] ?? 0, args.selectionK);
      }
    }
    try {
      const counts = await rolloutPass({
        store,
        runId: run.id,
        problems,
        samples,
        ...tools,
        ...passSettings(args),
        signal: ctx.signal,
        progress: (total, done) => ctx.progress(total, { label: "eval", done }),
      });
      ctx.log.info(
        `wrote ${counts.written} samples (${counts.errors} with errors), skipped ${counts.skipped} already done`,
      );
    } finally {
      await tools.close();
    }
    await finishRun(store, run.id, ctx.signal.aborted ? "interrupted" : "finished");
    return await report(run.id, args.mode, args.n, args.summary);

    async function report(runId: string, mode: string, n: number, path?: string) {
      const ks = [...new Set([1, 2, 4, 8, 16, 32, 64, 128].filter((k) => k < n).concat(n))];
      const summary = await evalSummary(store, runId, { mode, ks });
      ctx.print(formatSummary(summary.groups));
      if (summary.selection) {
        ctx.print(
          `code-selection accuracy ${
            (100 * summary.selection.accuracy).toFixed(1)
          }% over ${summary.selection.problems} problems`,
        );
      }
      const out = path ?? join(args.db.replace(/[^/]*$/, ""), `${runId}.summary.json`);
      await Deno.writeTextFile(out, JSON.stringify(summary, null, 2) + "\n");
      ctx.log.info(`summary: ${out}`);
    }
  },
});
