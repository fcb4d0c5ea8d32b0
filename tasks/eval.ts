import { join } from "node:path";
import { z } from "zod";
import { selectionArgs } from "../lib/data/mod.ts";
import { createGrader } from "../lib/grade/mod.ts";
import { evalSummary, formatSummary, rescoreRun, writeSampleLog } from "../lib/report/mod.ts";
import {
  endRolloutRun,
  type Mode,
  openRolloutRun,
  rolloutPass,
  rolloutPresets,
} from "../lib/rollout/mod.ts";
import { failRunOnError, getRun } from "../lib/store/mod.ts";
import { defineTask, UsageError } from "../lib/task/mod.ts";
import { flagName, loadRolloutProblems, logRetry, rolloutArgs } from "./_rollout_args.ts";

/** `deno task eval`: tool-integrated evaluation of a model over benchmarks, into the store. */
export const evalTask = defineTask({
  name: "eval",
  description: "Evaluate a model with tool-integrated reasoning over MATH500/AIME/...; resumable.",
  presets: rolloutPresets,
  args: z.object({
    ...rolloutArgs.shape,
    model: rolloutArgs.shape.model.optional(),
    dataset: z.array(z.string()).default(["math500"]).describe(
      "dataset name, or a JSONL / Parquet path (repeatable)",
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
    logSamples: z.boolean().default(false).describe(
      "also write one JSONL row per sample next to the summary (<run>.samples.jsonl)",
    ),
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
      const original = await getRun(store, args.rescore);
      await report(
        args.rescore,
        String(original?.args.mode ?? args.mode),
        Number(original?.args.n ?? args.n),
        original?.provenance ?? null,
      );
      return;
    }
    if (!args.model) {
      throw new UsageError("Cannot parse arguments: --model is required (or --rescore RUN)");
    }
    const { datasets, problems } = await loadRolloutProblems(args);
    const run = await openRolloutRun({
      store,
      task: "eval",
      runId: args.runId,
      args: {
        ...args,
        model: args.model,
        onRetry: logRetry(ctx.log),
      },
      datasets,
      force: args.force,
      settingName: flagName,
    });
    ctx.log.info(
      `${
        run.resumed ? "resuming" : "starting"
      } eval run ${run.id} over ${problems.length} problems with ${run.tools.policy.name}`,
    );
    const samples: Partial<Record<Mode, number>> = { [args.mode]: args.n };
    if (args.selectionK > 0) {
      for (const mode of ["text", "code"] as const) {
        samples[mode] = Math.max(samples[mode] ?? 0, args.selectionK);
      }
    }
    const planned = problems.length * Object.values(samples).reduce((a, b) => a + b, 0);
    const end = await failRunOnError(store, run.id, async () => {
      const counts = await rolloutPass({
        store,
        runId: run.id,
        problems,
        samples,
        tools: run.tools,
        settings: args,
        seed: args.seed,
        maxErrors: Math.floor(args.maxErrorRate * planned),
        signal: ctx.signal,
        progress: (total, done) => ctx.progress(total, { label: "eval", done }),
      }).finally(() => run.tools.close());
      ctx.log.info(
        `wrote ${counts.written} samples (${counts.errors} with errors), retried ${
          counts.retried ?? 0
        } that had failed, skipped ${counts.skipped} already done`,
      );
      return await endRolloutRun(store, run.id, {
        counts,
        maxErrorRate: args.maxErrorRate,
        aborted: ctx.signal.aborted,
      });
    });
    await report(run.id, args.mode, args.n, run.provenance);
    if (end.message) ctx.log.error(end.message);
    return end.exitCode;

    async function report(
      runId: string,
      mode: string,
      n: number,
      provenance: Record<string, unknown> | null,
    ) {
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
      const status = (await getRun(store, runId))?.status;
      const out = args.summary ?? join(args.db.replace(/[^/]*$/, ""), `${runId}.summary.json`);
      await Deno.writeTextFile(
        out,
        JSON.stringify({ ...summary, status, provenance }, null, 2) + "\n",
      );
      ctx.log.info(`summary: ${out}`);
      if (args.logSamples) {
        const path = out.replace(/(\.summary)?\.json$/, "") + ".samples.jsonl";
        const rows = await writeSampleLog(store, runId, path);
        ctx.log.info(`samples: ${path} (${rows} rows)`);
      }
    }
  },
});
