import { z } from "zod";
import {
  checkExportable,
  curateRun,
  EXPORT_SCHEMAS,
  exportRun,
  MODE_PRIORS,
} from "../lib/curate/mod.ts";
import { selectionArgs } from "../lib/data/mod.ts";
import { formatTable } from "../lib/report/mod.ts";
import { endRolloutRun, openRolloutRun, rolloutPass, rolloutPresets } from "../lib/rollout/mod.ts";
import { failRunOnError } from "../lib/store/mod.ts";
import { defineTask, UsageError } from "../lib/task/mod.ts";
import { flagName, loadRolloutProblems, logRetry, rolloutArgs } from "./_rollout_args.ts";

/** `deno task curate`: the E-step, rollout-based reweighting into the store. */
export const curate = defineTask({
  name: "curate",
  description:
    "E-step: K text + K code + M auto rollouts per query, weights s*(c|x), training set.",
  presets: rolloutPresets,
  args: z.object({
    ...rolloutArgs.shape,
    dataset: z.array(z.string()).default(["math_pool"]).describe(
      "query pool: dataset name or JSONL path (repeatable)",
    ),
    ...selectionArgs.shape,
    k: z.number().int().positive().default(8).describe("rollouts per forced mode (text, code)"),
    m: z.number().int().min(0).default(4).describe("auto rollouts, to estimate pi(code|x)"),
    alpha: z.string().default("inf").describe(
      "inverse temperature of s*(c|x) = exp(alpha pi Q)/Z; inf = argmax, ties to text",
    ),
    prior: z.enum(MODE_PRIORS).default("policy").describe(
      "pi(c|x) in s*: policy = share of the auto rollouts that ran code, uniform = 1/2",
    ),
    keepUniform: z.boolean().default(false).describe(
      "keep queries whose rollouts all scored the same",
    ),
    keepSolved: z.boolean().default(false).describe(
      "keep the queries every rollout solved (plain reasoning is enough)",
    ),
    size: z.number().int().positive().optional().describe(
      "(query, mode) pairs to draw into the training set (default: all with weight > 0)",
    ),
    iteration: z.number().int().min(0).default(1).describe("EM iteration this E-step belongs to"),
    export: z.string().optional().describe("write the curated set to this .jsonl or .parquet file"),
    exportSchema: z.enum(EXPORT_SCHEMAS).default("tocode").describe(
      "schema of --export (docs/export.md)",
    ),
  }),
  async run(args, ctx) {
    const alpha = /^inf(inity)?$/i.test(args.alpha) ? Infinity : Number(args.alpha);
    if (!(alpha >= 0)) {
      throw new UsageError(
        `Cannot parse arguments: --alpha expects a number >= 0 or inf, got "${args.alpha}"`,
      );
    }
    if (!args.model) throw new UsageError("Cannot parse arguments: --model is required");
    if (args.export) await checkWritable(args.export);
    if (args.export) await checkExportable(args.exportSchema, args.promptTemplate);
    const { datasets, problems } = await loadRolloutProblems(args);
    const store = await ctx.store(args.db);
    const run = await openRolloutRun({
      store,
      task: "curate",
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
      } curate run ${run.id} over ${problems.length} queries with ${run.tools.policy.name}`,
    );
    const samples = { text: args.k, code: args.k, auto: args.m };
    const planned = problems.length * (2 * args.k + args.m);
    return await failRunOnError(store, run.id, async () => {
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
        progress: (total, done) => ctx.progress(total, { label: "curate", done }),
      }).finally(() => run.tools.close());
      const end = await endRolloutRun(store, run.id, {
        counts,
        maxErrorRate: args.maxErrorRate,
        aborted: ctx.signal.aborted,
      });
      if (end.status !== "finished") {
        if (end.message) ctx.log.error(end.message);
        return end.exitCode;
      }
      await curateAndExport(run.id);
      return 0;
    });

    async function curateAndExport(runId: string) {
      const summary = await curateRun(store, runId, {
        iteration: args.iteration,
        alpha,
        prior: args.prior,
        keepUniform: args.keepUniform,
        keepSolved: args.keepSolved,
        size: args.size ?? Infinity,
        seed: args.seed,
      });
      const [{ n }] = await store.query<{ n: number }>(
        "SELECT count(*)::INT AS n FROM rollouts WHERE run_id = $1",
        [runId],
      );
      ctx.print(formatTable([
        [
          "queries",
          "kept",
          "drawn",
          "code",
          "text",
          "mean Q(text)",
          "mean Q(code)",
          "code wins",
          "rollouts",
        ],
        [
          summary.queries,
          summary.kept,
          summary.drawn,
          summary.drawnCode,
          summary.drawnText,
          Number(summary.meanQText.toFixed(3)),
          Number(summary.meanQCode.toFixed(3)),
          summary.kept ? `${(100 * summary.codeWins).toFixed(1)}%` : "-",
          n,
        ],
      ]));
      if (args.export) {
        const rows = await exportRun(store, runId, args.export, { schema: args.exportSchema });
        ctx.log.info(`exported ${rows} rows (${args.exportSchema}) to ${args.export}`);
      }
    }
  },
});

/** Refuses an export path that cannot be written, before any rollout is spent on it. */
async function checkWritable(path: string): Promise<void> {
  try {
    const existed = await Deno.stat(path).then(() => true, () => false);
    const file = await Deno.open(path, { write: true, create: true });
    file.close();
    if (!existed) await Deno.remove(path);
  } catch (error) {
    throw new UsageError(
      `Cannot export to ${path}: ${(error as Error).message.split("\n")[0]} (--export)`,
    );
  }
}
