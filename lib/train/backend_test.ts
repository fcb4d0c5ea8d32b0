import assert from "node:assert/strict";
import { join } from "node:path";
import { generateSynthetic } from "../data/synthetic/mod.ts";
import { initModel } from "../model/mod.ts";
import { sftRecords, templates } from "../rollout/mod.ts";
import { gpuAdapterInfo, initBackend } from "./backend.ts";
import { train } from "./train.ts";

// Where Deno's WebGPU finds an adapter (a GPU, or Mesa's llvmpipe through software Vulkan), the
// webgpu code path is exercised here; elsewhere these tests are skipped.
const adapter = await gpuAdapterInfo();

Deno.test({
  name: "a tiny model trains on webgpu with the same losses as on wasm",
  ignore: adapter === undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tocode-webgpu-" });
    await initModel({
      model_type: "qwen2",
      vocab_size: 104,
      hidden_size: 32,
      intermediate_size: 48,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      tie_word_embeddings: true,
    }, { seed: 5, dir: join(dir, "init") });
    const records = sftRecords(
      generateSynthetic({ split: "train", size: 8, seed: 1, levels: [1], skills: ["addition"] }),
      { template: templates.plain, codeShare: 0.5, seed: 0 },
    ).map((r) => ({ ...r, imitate: true, reinforce: false, eos: true }));
    const run = async (backend: "webgpu" | "wasm") => {
      assert.equal(await initBackend(backend), backend);
      const losses: number[] = [];
      await train(join(dir, "init"), records, {
        loss: "sft",
        outDir: join(dir, backend),
        epochs: 3,
        maxSteps: 4,
        batchSize: 4,
        accumulate: 1,
        lr: 2e-3,
        weightDecay: 0.01,
        warmupSteps: 1,
        clipNorm: 1,
        clipEps: 0.2,
        lambda: 1,
        maxLength: 64,
        seed: 0,
        checkpointEvery: 0,
        resume: false,
        exportOnnx: false,
        onStep: (_step, _total, metrics) => losses.push(metrics.loss),
      });
      return losses;
    };
    const gpu = await run("webgpu");
    const wasm = await run("wasm");
    assert.equal(gpu.length, 4);
    assert.ok(gpu[3] < gpu[0], `the loss falls: ${gpu}`);
    // Same weights: the first loss agrees to fp32 rounding; Adam's sign-like first steps let
    // rounding differences grow a little after that.
    assert.ok(Math.abs(gpu[0] - wasm[0]) < 1e-4, `first loss: webgpu ${gpu[0]}, wasm ${wasm[0]}`);
    for (const [i, loss] of gpu.entries()) {
      assert.ok(Math.abs(loss - wasm[i]) < 1e-3, `step ${i + 1}: webgpu ${loss}, wasm ${wasm[i]}`);
    }
  },
});

Deno.test({
  name: "initBackend('auto') prefers wasm over a software WebGPU adapter",
  ignore: !adapter?.software,
  async fn() {
    assert.equal(await initBackend("auto"), "wasm");
  },
});
