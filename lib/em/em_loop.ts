import { join } from "node:path";
import { curateRun } from "../curate/e_step.ts";
import type { Problem } from "../data/problem.ts";
import type { Decision } from "../report/code_selection.ts";
import { evalSummary } from "../report/eval_summary.ts";
import { readSelectionEvidence } from "../report/read_samples.ts";
import { openPolicy, promptBuilder, type RolloutServices } from "../rollout/open_tools.ts";
import { rolloutSettings } from "../rollout/rollout_config.ts";
import { rolloutPass } from "../rollout/rollout_pass.ts";
import type { SamplesPerMode } from "../rollout/plan_jobs.ts";
import type { PromptTemplate } from "../rollout/templates.ts";
import { beginRun, finishRun } from "../store/runs.ts";
import { writeMetrics } from "../store/metrics.ts";
import type { Store } from "../store/store.ts";
import { curatedRecords, rolloutRecords } from "../train/curated_records.ts";
import type { TrainRecord } from "../train/records.ts";
import { train } from "../train/train.ts";
import { type DecisionScores, decisionScores, referenceDecisions } from "./decision_scores.ts";
import {
  type DemoMethod,
  type DemoPlan,
  evaluatesAfter,
  rolloutsPerIteration,
} from "./demo_plan.ts";

/** A model's figures on the test split; its decisions are scored against the base model's. */
export interface ModelScores extends DecisionScores {
  accuracy: number;
  codeRate: number;
  /** Accuracy and code rate of the test problems of each difficulty level ("1" … "5"). */
  levels: Record<string, LevelScores>;
}

/** Reference decisions of the test problems, by problem id. */
export type References = ReadonlyMap<string, Decision>;

/** One row of the demo's table: a method after an iteration. */
export interface IterationResult extends ModelScores {
  method: DemoMethod | "base";
  iteration: number;
  /** Training rollouts spent so far by this method. */
  rollouts: number;
  /** Seconds since the method's previous row: the iterations between and this evaluation. */
  wallSeconds: number;
  modelDir: string;
}

/** Accuracy and code rate of one group of test problems. */
export interface LevelScores {
  accuracy: number;
  codeRate: number;
}

/** What the EM loop and its baselines share. */
export interface LoopContext {
  store: Store;
  /** The demo run; child runs are named `<demoId>/<method>/...`. */
  demoId: string;
  plan: DemoPlan;
  services: RolloutServices;
  template: PromptTemplate;
  /** Folder for the models each iteration writes. */
  workDir: string;
  trainPool: readonly Problem[];
  test: readonly Problem[];
  seed: number;
  signal?: AbortSignal;
  log: (line: string) => void;
}

/**
 * Evaluates the base model on the test split: `auto` rollouts for its figures, and text and code
 * rollouts whose majority outcomes fix each problem's reference decision. Every later model is
 * scored against these references: a decision is judged by what the starting model can do in
 * each mode, as in the paper.
 */
export async function evaluateBase(
  ctx: LoopContext,
  modelDir: string,
  options: { runId: string },
): Promise<{ scores: ModelScores; references: References }> {
  const { runId } = options;
  const { testSamples, referenceK } = ctx.plan;
  await pass(ctx, modelDir, runId, ctx.test, {
    auto: testSamples,
    text: referenceK,
    code: referenceK,
  });
  const references = referenceDecisions(await readSelectionEvidence(ctx.store, runId));
  return { scores: await scoreEval(ctx, runId, references), references };
}

/** Evaluates a model on the test split (`auto` rollouts), its decisions against the references. */
export async function evaluateModel(
  ctx: LoopContext,
  modelDir: string,
  options: { runId: string; references: References },
): Promise<ModelScores> {
  await pass(ctx, modelDir, options.runId, ctx.test, { auto: ctx.plan.testSamples });
  return await scoreEval(ctx, options.runId, options.references);
}

async function scoreEval(ctx: LoopContext, runId: string, references: References) {
  const summary = await evalSummary(ctx.store, runId, { mode: "auto", ks: [1] });
  const all = summary.groups.find((g) => g.group === "all")!;
  const levels = summary.groups
    .filter((g) => g.group.startsWith("level="))
    .map((g) => [g.group.slice(6), { accuracy: g.accuracy.mean, codeRate: g.codeRate }]);
  const choices = await readSelectionEvidence(ctx.store, runId);
  return {
    accuracy: all.accuracy.mean,
    codeRate: all.codeRate,
    ...decisionScores(choices, references),
    levels: Object.fromEntries(levels),
  };
}

/**
 * Runs one method for the plan's iterations from the base model: the EM loop (`autocode`:
 * E-step curation then the M-step), or a baseline with the same rollout budget per iteration
 * (`grpo`: on-policy auto rollouts and the clipped surrogate; `sft`: the successful auto
 * rollouts, NLL only). Evaluates after the iterations the plan's `testEvery` names and the last,
 * records the figures and reports each result as it comes.
 */
export async function runMethod(
  ctx: LoopContext,
  method: DemoMethod,
  options: {
    baseModel: string;
    references: References;
    onIteration?: (result: IterationResult) => void;
  },
): Promise<void> {
  const { baseModel, references } = options;
  const { plan } = ctx;
  let model = baseModel;
  let rollouts = 0;
  let since = performance.now();
  for (let it = 1; it <= plan.iterations && !ctx.signal?.aborted; it++) {
    const queries = ctx.trainPool.slice((it - 1) * plan.queries, it * plan.queries);
    const prefix = `${ctx.demoId}/${method}/it${it}`;
    let records: TrainRecord[] = [];
    if (method === "autocode") {
      const runId = `${prefix}/curate`;
      await pass(
        ctx,
        model,
        runId,
        queries,
        { text: plan.k, code: plan.k, auto: plan.m },
        "curate",
      );
      const curated = await curateRun(ctx.store, runId, {
        iteration: it,
        alpha: Infinity,
        ...plan.eStep,
        keepUniform: false,
        size: Infinity,
        seed: ctx.seed + it,
      });
      if (curated.drawn > 0) records = await curatedRecords(ctx.store, runId);
    } else {
      // The same number of rollouts per query, all in auto mode (on-policy).
      const runId = `${prefix}/rollouts`;
      await pass(
        ctx,
        model,
        runId,
        queries,
        { auto: rolloutsPerIteration(plan) / plan.queries },
      );
      records = await rolloutRecords(ctx.store, runId);
      if (method === "sft") {
        records = records.filter((r) => r.imitate).map((r) => ({ ...r, reinforce: false }));
      }
    }
    rollouts += rolloutsPerIteration(plan);
    const out = join(ctx.workDir, method, `it${it}`);
    if (records.length > 0) {
      const trainRun = await beginRun(ctx.store, "train", {
        id: `${prefix}/train`,
        args: { method },
      });
      let step = 0;
      const written: Promise<void>[] = [];
      await train(model, records, {
        loss: method === "autocode" ? "autocode" : method === "grpo" ? "grpo" : "sft",
        outDir: out,
        // As many passes as the steps take: every method trains for the same number of steps.
        epochs: Infinity,
        maxSteps: plan.trainSteps,
        batchSize: plan.batchSize,
        accumulate: 1,
        lr: plan.lr[method],
        weightDecay: 0,
        warmupSteps: 0,
        clipNorm: 1,
        clipEps: 0.2,
        lambda: plan.lambda,
        maxLength: plan.maxLength,
        seed: ctx.seed + it,
        checkpointEvery: 0,
        resume: false,
        exportOnnx: true,
        signal: ctx.signal,
        onStep: (s, _total, metrics) => {
          step = s;
          written.push(writeMetrics(ctx.store, trainRun.id, { step: s, values: metrics }));
        },
      });
      await Promise.all(written);
      await finishRun(ctx.store, trainRun.id, step > 0 ? "finished" : "interrupted");
      model = out;
    } else {
      ctx.log(`${method} iteration ${it}: nothing to train on (every query uniform); model kept`);
    }
    if (!evaluatesAfter(plan, it)) continue;
    const evalId = it === plan.iterations ? `${ctx.demoId}/${method}/eval-final` : `${prefix}/eval`;
    const scores = await evaluateModel(ctx, model, { runId: evalId, references });
    const result: IterationResult = {
      method,
      iteration: it,
      ...scores,
      rollouts,
      wallSeconds: (performance.now() - since) / 1000,
      modelDir: model,
    };
    since = performance.now();
    await recordIteration(ctx, result);
    options.onIteration?.(result);
  }
}

/** Writes an iteration's figures as `<method>/<metric>` metrics of the demo run. */
export async function recordIteration(ctx: LoopContext, r: IterationResult): Promise<void> {
  await writeMetrics(ctx.store, ctx.demoId, {
    step: r.iteration,
    values: {
      [`${r.method}/accuracy`]: r.accuracy,
      [`${r.method}/code_rate`]: r.codeRate,
      [`${r.method}/selection_accuracy`]: r.selectionAccuracy,
      [`${r.method}/code_rate_text_ref`]: r.codeRateTextRef,
      [`${r.method}/code_rate_code_ref`]: r.codeRateCodeRef,
      [`${r.method}/rollouts`]: r.rollouts,
      [`${r.method}/wall_s`]: r.wallSeconds,
    },
  });
}

async function pass(
  ctx: LoopContext,
  modelDir: string,
  runId: string,
  problems: readonly Problem[],
  samples: SamplesPerMode,
  task: "eval" | "curate" = "eval",
): Promise<void> {
  const run = await beginRun(ctx.store, task, {
    id: runId,
    args: { model: modelDir, samples, ...(task === "eval" ? { mode: "auto" } : {}) },
  });
  const { policy, renderChat, tokenizer } = await openPolicy(modelDir);
  try {
    await rolloutPass({
      store: ctx.store,
      runId: run.id,
      problems,
      samples,
      tools: {
        ...ctx.services,
        policy,
        template: ctx.template,
        prompt: promptBuilder(ctx.template, policy, renderChat),
        tokenizer,
      },
      settings: rolloutSettings(ctx.plan.rollout),
      seed: ctx.seed,
      signal: ctx.signal,
    });
  } finally {
    await policy.close();
  }
  await finishRun(ctx.store, run.id, ctx.signal?.aborted ? "interrupted" : "finished");
}
