import { loadDataset } from "../datasets/mod.ts";
import { join } from "node:path";
import { z } from "zod";
import { initModel } from "../lib/model/mod.ts";
import { loadTemplate, openServices, sftRecords } from "../lib/rollout/mod.ts";
import {
  beginRun,
  DEFAULT_DB_PATH,
  failRunOnError,
  finishRun,
  writeMetrics,
} from "../lib/store/mod.ts";
import { defineTask, UsageError } from "../lib/task/mod.ts";
import {
  backendNames,
  curatedRecords,
  defaultWasmThreads,
  initBackend,
  losses,
  readRecords,
  rolloutRecords,
  train,
  trainOnPolicy,
  type TrainRecord,
} from "../lib/train/mod.ts";

/** `deno task train`: the M-step (and the sft / grpo baselines) with TensorFlow.js. */
export const trainTask = defineTask({
  name: "train",
  description: "Train a model folder with sft, grpo or autocode (the M-step); writes an HF folder.",
  args: z.object({
    model: z.string().optional().describe("model folder to start from (HF layout)"),
    initConfig: z.string().optional().describe(
      "train from scratch: a config.json for a new random model (instead of --model)",
    ),
    out: z.string().describe("folder to write the trained model and its checkpoints to"),
    loss: z.enum(Object.keys(losses) as ["sft", "autocode", "grpo"]).default("autocode").describe(
      "sft: NLL; grpo: clipped PG, group-normalised (on-policy with --data); autocode: the drawn decisions' -log pi(c|x) + clipped PG on curated rollouts + lambda NLL",
    ),
    data: z.string().optional().describe(
      "supervised data: a dataset with worked solutions (synthetic:train:N), solutions' mode drawn at random",
    ),
    curated: z.string().optional().describe("curate run whose curated_rollouts to train on"),
    rollouts: z.string().optional().describe(
      "run whose auto rollouts to train on (off-policy grpo, sft on successes)",
    ),
    records: z.string().optional().describe(
      "JSONL file of training records (TrainRecord rows, a curate run's tocode export, or prompt/completion text pairs)",
    ),
    rounds: z.number().int().positive().default(4).describe(
      "on-policy grpo (--loss grpo --data): sampling rounds",
    ),
    queries: z.number().int().positive().default(16).describe("on-policy grpo: queries per round"),
    group: z.number().int().min(2).default(8).describe(
      "on-policy grpo: auto rollouts per query (the advantage group)",
    ),
    stepsPerRound: z.number().int().positive().default(4).describe(
      "on-policy grpo: optimizer steps per round",
    ),
    maxTokens: z.number().int().positive().default(320).describe(
      "on-policy grpo: generated tokens per trajectory at most",
    ),
    maxCodeCalls: z.number().int().min(0).default(2).describe(
      "on-policy grpo: code cells executed per trajectory",
    ),
    temperature: z.number().positive().default(1).describe(
      "on-policy grpo: sampling temperature (1 keeps the behaviour log-probs the policy's own)",
    ),
    codeShare: z.number().min(0).max(1).default(0.5).describe(
      "with --data: probability that an example uses its code solution",
    ),
    promptTemplate: z.string().default("plain").describe("prompt template of --data examples"),
    epochs: z.number().int().positive().default(1).describe("passes over the data"),
    maxSteps: z.number().int().positive().optional().describe("optimizer steps at most"),
    batchSize: z.number().int().positive().default(16).describe("sequences per micro-batch"),
    accumulate: z.number().int().positive().default(1).describe("micro-batches per step"),
    lr: z.number().positive().default(1e-3).describe("peak learning rate"),
    weightDecay: z.number().min(0).default(0.01).describe("AdamW decoupled weight decay"),
    warmupSteps: z.number().int().min(0).default(10).describe("linear warmup steps"),
    clipNorm: z.number().positive().default(1).describe("global gradient-norm clip"),
    clipEps: z.number().positive().default(0.2).describe("importance-ratio clip range"),
    lambda: z.number().min(0).default(0.5).describe("weight of the NLL term in autocode"),
    maxLength: z.number().int().positive().default(512).describe("tokens per sequence at most"),
    bucket: z.number().int().positive().default(8).describe(
      "length bucketing: sort by length within windows of N batches (1 = off)",
    ),
    seed: z.number().int().default(0).describe("seed of the data order"),
    checkpointEvery: z.number().int().min(0).default(0).describe("checkpoint every N steps"),
    resume: z.boolean().default(false).describe("continue from the checkpoint in --out"),
    backend: z.enum(backendNames).default("auto").describe(
      "tfjs backend: auto = webgpu on a hardware GPU adapter, else wasm",
    ),
    threads: z.number().int().min(0).max(8).default(0).describe(
      "wasm threads (XNNPACK pool); 0 = one per core",
    ),
    db: z.string().default(DEFAULT_DB_PATH).describe("DuckDB store (metrics, curated data)"),
    runId: z.string().optional().describe("run id of this training run"),
  }),
  async run(args, ctx) {
    const sources = [args.data, args.curated, args.rollouts, args.records]
      .filter((s) => s !== undefined);
    if (sources.length !== 1) {
      throw new UsageError(
        "Cannot train: give exactly one of --data, --curated, --rollouts, --records",
      );
    }
    if ((args.model === undefined) === (args.initConfig === undefined)) {
      throw new UsageError("Cannot train: give exactly one of --model and --init-config");
    }
    let modelDir = args.model!;
    if (args.initConfig) {
      modelDir = join(args.out, "init");
      const config = JSON.parse(await Deno.readTextFile(args.initConfig));
      await initModel(config, { seed: args.seed, dir: modelDir });
    }
    const store = await ctx.store(args.db);
    const backend = await initBackend(args.backend, {
      threads: args.threads || defaultWasmThreads(),
    });
    if (args.loss === "grpo" && args.data) return await onPolicy(modelDir, backend);
    let records: TrainRecord[];
    if (args.records) {
      records = await readRecords(args.records);
    } else if (args.data) {
      const { problems } = await loadDataset(args.data);
      const template = await loadTemplate(args.promptTemplate);
      records = sftRecords(problems, { template, codeShare: args.codeShare, seed: args.seed })
        .map((r) => ({ ...r, imitate: true, reinforce: false, eos: true }));
    } else if (args.curated) {
      records = await curatedRecords(store, args.curated);
    } else {
      records = await rolloutRecords(store, args.rollouts!);
    }
    const run = await beginRun(store, "train", { id: args.runId, args: { ...args, backend } });
    ctx.log.info(
      `training ${modelDir} → ${args.out} on ${records.length} records (${args.loss}, ${backend})`,
    );
    const steps = stepReporter(run.id);
    const summary = await failRunOnError(store, run.id, async () => {
      const summary = await train(modelDir, records, {
        ...args,
        outDir: args.out,
        exportOnnx: true,
        signal: ctx.signal,
        onStep: steps.onStep,
      });
      await steps.done();
      return summary;
    });
    await finishRun(store, run.id, ctx.signal.aborted ? "interrupted" : "finished");
    ctx.print(JSON.stringify({ run: run.id, out: args.out, ...summary }));

    /** Progress bar with the running loss, and every step's metrics into the store. */
    function stepReporter(runId: string) {
      let progress: ReturnType<typeof ctx.progress> | undefined;
      let written: Promise<void> = Promise.resolve();
      let [running, weight] = [0, 0];
      return {
        onStep(step: number, total: number, metrics: Record<string, number>) {
          progress ??= ctx.progress(total, { label: "train", done: step - 1 });
          // Running loss: an exponential average over ~10 steps, bias-corrected at the start.
          [running, weight] = [0.9 * running + 0.1 * metrics.loss, 0.9 * weight + 0.1];
          progress.tick(1, { loss: Number((running / weight).toFixed(4)) });
          written = written.then(() => writeMetrics(store, runId, { step, values: metrics }));
        },
        async done() {
          progress?.stop();
          await written;
        },
      };
    }

    /** The grpo baseline on-policy: rounds of sampling with the current weights, then steps. */
    async function onPolicy(modelDir: string, backend: string) {
      const { problems } = await loadDataset(args.data!);
      const template = await loadTemplate(args.promptTemplate);
      const run = await beginRun(store, "train", { id: args.runId, args: { ...args, backend } });
      ctx.log.info(
        `on-policy grpo: ${modelDir} → ${args.out}, ${args.rounds} rounds of ${args.queries} ` +
          `queries × ${args.group} rollouts (${backend})`,
      );
      const services = openServices({});
      const steps = stepReporter(run.id);
      try {
        const summary = await failRunOnError(
          store,
          run.id,
          () =>
            trainOnPolicy(modelDir, problems, {
              ...args,
              store,
              runId: run.id,
              services,
              template,
              outDir: args.out,
              signal: ctx.signal,
              onStep: steps.onStep,
              log: (line) => ctx.log.info(line),
            }),
        );
        await steps.done();
        await finishRun(store, run.id, ctx.signal.aborted ? "interrupted" : "finished");
        ctx.print(JSON.stringify({ run: run.id, out: args.out, ...summary }));
      } finally {
        await services.close();
      }
    }
  },
});
