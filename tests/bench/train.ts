import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { loadDataset } from "../../lib/data/mod.ts";
import { initModel } from "../../lib/model/mod.ts";
import { sftRecords, templates } from "../../lib/rollout/mod.ts";
import { initBackend, train } from "../../lib/train/mod.ts";
import { defineBench } from "./harness.ts";

const CONFIG = new URL("../../configs/base_model.json", import.meta.url).pathname;

export default defineBench({
  name: "train",
  description: "training tokens/s and GFLOP/s (6·params·tokens) vs the same backend's matmul rate",
  async run() {
    const backend = await initBackend("auto");
    // The backend's large-matmul rate, the ceiling the training rate is compared with.
    const a = tf.randomNormal([1024, 1024]);
    await tf.matMul(a, a).data();
    const start = performance.now();
    for (let i = 0; i < 5; i++) {
      const c = tf.matMul(a, a);
      await c.data();
      c.dispose();
    }
    const matmulGflops = (5 * 2 * 1024 ** 3) / ((performance.now() - start) / 1000) / 1e9;
    a.dispose();

    const config = JSON.parse(await Deno.readTextFile(CONFIG));
    const dir = await Deno.makeTempDir({ prefix: "tocode-bench-train-" });
    const { weights } = await initModel(config, { seed: 0, dir: join(dir, "init") });
    const params = [...weights.values()].reduce((s, t) => s + t.data.length, 0);
    const { problems } = await loadDataset("synthetic:train:160:3");
    const records = sftRecords(problems, { template: templates.plain, codeShare: 0.5, seed: 0 })
      .map((r) => ({ ...r, imitate: true, reinforce: false, eos: true }));
    const summary = await train(join(dir, "init"), records, {
      loss: "sft",
      outDir: join(dir, "out"),
      epochs: 1,
      maxSteps: 10,
      batchSize: 16,
      accumulate: 1,
      lr: 1e-3,
      weightDecay: 0,
      warmupSteps: 0,
      clipNorm: 1,
      clipEps: 0.2,
      lambda: 1,
      maxLength: 320,
      seed: 0,
      checkpointEvery: 0,
      resume: false,
      exportOnnx: false,
      onStep: () => {},
    });
    // Trained (completion) tokens: prompt and padding positions are computed too, so this
    // understates the arithmetic done.
    const seconds = summary.seconds;
    const tokensPerS = summary.tokens / seconds;
    const gflops = (6 * params * tokensPerS) / 1e9;
    return {
      table: [
        ["measure", `${backend} backend`],
        ["parameters", params],
        ["training tokens/s", Math.round(tokensPerS)],
        ["achieved GFLOP/s (6·params·tokens/s)", Number(gflops.toFixed(2))],
        ["1024² matmul GFLOP/s", Number(matmulGflops.toFixed(2))],
        ["share of the matmul rate", `${(100 * gflops / matmulGflops).toFixed(1)}%`],
      ],
      notes: [`${summary.steps} steps of 16 sequences in ${seconds.toFixed(1)} s`],
      figures: {
        train_tokens_per_s: Math.round(tokensPerS),
        train_gflops: Number(gflops.toFixed(3)),
        matmul_gflops: Number(matmulGflops.toFixed(2)),
        share_of_matmul: Number((gflops / matmulGflops).toFixed(3)),
      },
    };
  },
});
