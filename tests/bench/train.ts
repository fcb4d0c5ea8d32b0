import { loadDataset } from "../../datasets/mod.ts";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { initModel, type ModelConfigInput } from "../../lib/model/mod.ts";
import { sftRecords, templates } from "../../lib/rollout/mod.ts";
import { initBackend, train, type TrainOptions, wasmThreads } from "../../lib/train/mod.ts";
import { defineBench } from "./harness.ts";

/** The small model of the benchmark: 4 layers, hidden 256, GQA 4/2, over the char vocabulary. */
const SMALL: ModelConfigInput = {
  model_type: "qwen2",
  vocab_size: 104,
  hidden_size: 256,
  intermediate_size: 704,
  num_hidden_layers: 4,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  tie_word_embeddings: true,
};
const SEQ = 256;
const BATCH = 8;
const STEPS = 6;

/** GFLOP/s of an n×n by n×n matmul on the current backend, after one warm-up product. */
async function matmulRate(n: number, reps: number): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const warm = tf.matMul(a, a);
  await warm.data();
  warm.dispose();
  const start = performance.now();
  for (let i = 0; i < reps; i++) {
    const c = tf.matMul(a, a);
    await c.data();
    c.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  a.dispose();
  return (reps * 2 * n ** 3) / seconds / 1e9;
}

export default defineBench({
  name: "train",
  description: "training tokens/s and GFLOP/s (6·params·tokens) vs the same backend's matmul rate",
  async run() {
    const threads = Number(Deno.env.get("TOCODE_WASM_THREADS") ?? navigator.hardwareConcurrency);
    let backend = await initBackend(
      (Deno.env.get("TOCODE_BENCH_BACKEND") ?? "auto") as Parameters<typeof initBackend>[0],
      { threads },
    );
    if (backend === "wasm") backend += ` (${wasmThreads()} threads)`;
    const dir = await Deno.makeTempDir({ prefix: "tocode-bench-train-" });
    const { weights } = await initModel(SMALL, { seed: 0, dir: join(dir, "init") });
    const params = [...weights.values()].reduce((s, t) => s + t.data.length, 0);
    const { problems } = await loadDataset("synthetic:train:200:3");
    const records = sftRecords(problems, { template: templates.plain, codeShare: 0.5, seed: 0 })
      .map((r) => ({ ...r, imitate: true, reinforce: false, eos: true }));
    const options = (out: string, maxSteps: number): TrainOptions => ({
      loss: "sft",
      outDir: join(dir, out),
      epochs: 1,
      maxSteps,
      batchSize: BATCH,
      accumulate: 1,
      lr: 1e-3,
      weightDecay: 0.01,
      warmupSteps: 0,
      clipNorm: 1,
      clipEps: 0.2,
      lambda: 1,
      maxLength: SEQ,
      seed: 0,
      checkpointEvery: 0,
      resume: false,
      exportOnnx: false,
    });
    // Warm-up (kernel set-up, memory growth), then the measured run, then the baseline.
    await train(join(dir, "init"), records, options("warm", 1));
    const s = await train(join(dir, "init"), records, options("out", STEPS));
    const matmul = await matmulRate(1024, 6);
    await Deno.remove(dir, { recursive: true });

    const rate = (tokens: number) => tokens / s.seconds;
    // 6·N FLOPs per token (forward + backward through the weights; attention not counted).
    const gflops = (tokens: number) => (6 * params * rate(tokens)) / 1e9;
    const useful = gflops(s.inputTokens);
    const computed = gflops(s.computedTokens);
    const pct = (x: number) => `${(100 * x / matmul).toFixed(1)}%`;
    return {
      table: [
        ["measure", `${backend} backend`, "share of matmul"],
        ["parameters", params, ""],
        ["trained tokens/s (loss targets)", Math.round(rate(s.tokens)), ""],
        ["input tokens/s (no padding)", Math.round(rate(s.inputTokens)), ""],
        ["GFLOP/s, 6·params·input tokens", Number(useful.toFixed(2)), pct(useful)],
        ["GFLOP/s, 6·params·positions (padding too)", Number(computed.toFixed(2)), pct(computed)],
        ["1024² matmul GFLOP/s (baseline)", Number(matmul.toFixed(2)), "100%"],
      ],
      notes: [
        `${s.steps} steps of ${BATCH} sequences (≤ ${SEQ} tokens) in ${s.seconds.toFixed(1)} s; ` +
        `${(100 * s.inputTokens / s.computedTokens).toFixed(0)}% of positions are not padding`,
      ],
      figures: {
        train_tokens_per_s: Math.round(rate(s.tokens)),
        input_tokens_per_s: Math.round(rate(s.inputTokens)),
        train_gflops: Number(useful.toFixed(3)),
        train_gflops_with_padding: Number(computed.toFixed(3)),
        matmul_gflops: Number(matmul.toFixed(2)),
        share_of_matmul: Number((useful / matmul).toFixed(3)),
      },
    };
  },
});
