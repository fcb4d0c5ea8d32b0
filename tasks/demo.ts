import { join } from "node:path";
import { z } from "zod";
import {
  DEMO_METHODS,
  demoPlans,
  demoProblems,
  evaluateBase,
  type IterationResult,
  type LoopContext,
  recordIteration,
  type References,
  runMethod,
} from "../lib/em/mod.ts";
import { MODE_PRIORS } from "../lib/curate/mod.ts";
import { buildReport, formatTable } from "../lib/report/mod.ts";
import { openServices, templates } from "../lib/rollout/mod.ts";
import { beginRun, DEFAULT_DB_PATH, finishRun, newRunId } from "../lib/store/mod.ts";
import { defineTask } from "../lib/task/mod.ts";
import { defaultWasmThreads, initBackend } from "../lib/train/mod.ts";

const DEFAULT_BASE = new URL("../models/tocode-base", import.meta.url).pathname;

/** `deno task demo`: the whole method on the embedded default, with its baselines and a report. */
export const demo = defineTask({
  name: "demo",
  description:
    "Run the EM loop on the embedded small model vs grpo and sft, then write the report.",
  args: z.object({
    quick: z.boolean().default(false).describe("a small run (about 3 minutes): CI's smoke test"),
    base: z.string().default(DEFAULT_BASE).describe("base model folder (the rigid starting point)"),
    methods: z.array(z.enum(DEMO_METHODS)).default([...DEMO_METHODS]).describe(
      "methods to compare (repeatable)",
    ),
    seed: z.number().int().default(1).describe(
      "seed of every draw: problems, sampling, training order",
    ),
    lr: z.number().positive().optional().describe(
      "M-step learning rate of every method (a sweep; default: each method's rate in the plan)",
    ),
    lambda: z.number().min(0).optional().describe(
      "weight of EM's imitation term (a sweep; default: the plan's)",
    ),
    prior: z.enum(MODE_PRIORS).optional().describe(
      "where EM's E-step takes pi(c|x): policy = its auto rollouts (the paper), uniform = 1/2 (default: the plan's)",
    ),
    keepSolved: z.boolean().optional().describe(
      "EM's E-step keeps the queries every rollout solved (default: the plan's)",
    ),
    testEvery: z.number().int().min(0).optional().describe(
      "evaluate every method after every N-th iteration too; 0 = after the last only (default: the plan's)",
    ),
    backend: z.enum(["auto", "wasm", "webgpu", "cpu"]).default("auto").describe("tfjs backend"),
    db: z.string().default(DEFAULT_DB_PATH).describe("DuckDB store file"),
    runId: z.string().optional().describe("id of the demo run"),
    report: z.string().optional().describe("HTML report path (default: next to the store)"),
  }),
  async run(args, ctx) {
    try {
      await Deno.stat(join(args.base, "onnx", "model.onnx"));
    } catch {
      throw new Error(
        `Cannot run the demo: no base model at ${args.base}; train it with deno task train --config configs/base_copy.json, then --config configs/base.json`,
      );
    }
    const preset = demoPlans[args.quick ? "quick" : "default"];
    const { lr, lambda, prior, keepSolved, testEvery } = args;
    const plan = {
      ...preset,
      ...(lr === undefined
        ? {}
        : { lr: Object.fromEntries(DEMO_METHODS.map((m) => [m, lr])) as typeof preset.lr }),
      lambda: lambda ?? preset.lambda,
      testEvery: testEvery ?? preset.testEvery,
      eStep: {
        prior: prior ?? preset.eStep.prior,
        keepSolved: keepSolved ?? preset.eStep.keepSolved,
      },
    };
    const backend = await initBackend(args.backend, { threads: defaultWasmThreads() });
    const store = await ctx.store(args.db);
    const demoId = args.runId ?? newRunId(args.quick ? "demo-quick" : "demo");
    await beginRun(store, "demo", { id: demoId, args: { ...args, plan, backend } });
    const { trainPool, test } = demoProblems(plan, args.seed);
    const services = openServices({});
    const started = performance.now();
    const rows: IterationResult[] = [];
    let references: References = new Map();
    const show = () => {
      ctx.print(formatTable([
        [
          "method",
          "iteration",
          "accuracy",
          "code rate",
          "code rate (text ref)",
          "code rate (code ref)",
          "code-selection acc.",
          "rollouts",
          "wall s",
        ],
        ...rows.map((r) => [
          r.method,
          r.iteration,
          pct(r.accuracy),
          pct(r.codeRate),
          pct(r.codeRateTextRef),
          pct(r.codeRateCodeRef),
          pct(r.selectionAccuracy),
          r.rollouts,
          Math.round(r.wallSeconds),
        ]),
      ]));
      ctx.print("");
    };
    // The shift the method is for: code rate (and accuracy) by difficulty, base vs each
    // method's last iteration.
    const showLevels = () => {
      const finals = args.methods
        .map((m) => rows.findLast((r) => r.method === m))
        .filter((r): r is IterationResult => r !== undefined && r.iteration > 0);
      const last = [rows[0], ...finals];
      const levels = [...new Set(last.flatMap((r) => Object.keys(r.levels)))].sort();
      ctx.print("code rate (accuracy) by level on the test split");
      ctx.print(formatTable([
        ["method", ...levels.map((l) => `level ${l}`)],
        ...last.map((r) => [
          r.method,
          ...levels.map((l) =>
            r.levels[l] ? `${pct(r.levels[l].codeRate)} (${pct(r.levels[l].accuracy)})` : "-"
          ),
        ]),
      ]));
      ctx.print("");
    };
    const loop: LoopContext = {
      store,
      demoId,
      plan,
      services,
      template: templates.plain,
      workDir: join(args.db.replace(/[^/]*$/, ""), demoId),
      trainPool,
      test,
      seed: args.seed,
      signal: ctx.signal,
      log: (line) => ctx.log.info(line),
    };
    try {
      ctx.log.info(`demo ${demoId}: evaluating the base model on ${test.length} test problems`);
      const t0 = performance.now();
      const base = await evaluateBase(loop, args.base, { runId: `${demoId}/base/eval-final` });
      references = base.references;
      const counts = [...references.values()];
      ctx.log.info(
        `demo ${demoId}: reference decisions of the base model: text ${
          counts.filter((d) => d === "text").length
        }, code ${counts.filter((d) => d === "code").length}, none ${test.length - counts.length}`,
      );
      const baseRow: IterationResult = {
        method: "base",
        iteration: 0,
        ...base.scores,
        rollouts: 0,
        wallSeconds: (performance.now() - t0) / 1000,
        modelDir: args.base,
      };
      rows.push(baseRow);
      for (const method of args.methods) await recordIteration(loop, { ...baseRow, method });
      show();
      for (const method of args.methods) {
        if (ctx.signal.aborted) break;
        ctx.log.info(`demo ${demoId}: ${method}, ${plan.iterations} iteration(s)`);
        // A method that fails (a model error, a refused training step) ends its own rows only:
        // the other methods still run and the report still covers what finished.
        try {
          await runMethod(loop, method, {
            baseModel: args.base,
            references,
            onIteration: (result) => rows.push(result),
          });
        } catch (error) {
          if (ctx.signal.aborted) break;
          ctx.log.error(`demo ${demoId}: ${method} stopped: ${(error as Error).message}`);
        }
        show();
      }
      showLevels();
    } finally {
      await services.close();
    }
    await finishRun(store, demoId, ctx.signal.aborted ? "interrupted" : "finished");
    // The final evaluations, and the E-steps whose per-query code rates show the shift.
    const evalRuns = await store.query<{ id: string }>(
      `SELECT id FROM runs WHERE starts_with(id, $1)
         AND (ends_with(id, '/eval-final') OR ends_with(id, '/curate')) ORDER BY id`,
      [`${demoId}/`],
    );
    const html = await buildReport(store, [demoId, ...evalRuns.map((r) => r.id)], {
      title: `tocode demo ${demoId}`,
    });
    const out = args.report ?? join(args.db.replace(/[^/]*$/, ""), `report-${demoId}.html`);
    await Deno.writeTextFile(out, html);
    ctx.log.info(`demo finished in ${((performance.now() - started) / 60000).toFixed(1)} min`);
    ctx.print(`report: ${out}`);
    ctx.print(JSON.stringify(demoResult(demoId, args.seed, rows)));
  },
});

/** The demo's last line: each method's figures at its last iteration (base at iteration 0). */
export function demoResult(demoId: string, seed: number, rows: readonly IterationResult[]) {
  const methods: Record<string, Record<string, number | null>> = {};
  for (const r of rows) {
    methods[r.method] = {
      accuracy: r.accuracy,
      selection_accuracy: finite(r.selectionAccuracy),
      code_rate: r.codeRate,
      code_rate_text_ref: finite(r.codeRateTextRef),
      code_rate_code_ref: finite(r.codeRateCodeRef),
      rollouts: r.rollouts,
    };
  }
  return { demo: demoId, seed, methods };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "-";
}
