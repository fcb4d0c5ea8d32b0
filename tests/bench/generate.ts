import { env, pipeline } from "@huggingface/transformers";
import { initModel, smallModelConfig } from "../../lib/model/mod.ts";
import { createOnnxPolicy, type GenerateRequest, type Policy } from "../../lib/policy/mod.ts";
import { defineBench } from "./harness.ts";

const batches = [1, 16, 64];
const repeats = 3;
/** Every id of the 101-token character vocabulary decodes to text, so both sides count alike. */
const config = { ...smallModelConfig, vocab_size: 101 };

/** Peak resident memory while `work` runs, sampled every 20 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  let peak = Deno.memoryUsage().rss;
  const timer = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 20);
  try {
    const value = await work();
    peak = Math.max(peak, Deno.memoryUsage().rss);
    return { value, peakMiB: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

const prompt = (i: number) => `Problem ${i}: find the sum of ${i} and ${i * 7 % 13}.\n`;

export default defineBench({
  name: "generate",
  description:
    "New tokens/s of the onnx policy vs transformers.js text-generation on the same ONNX file",
  async run() {
    const root = await Deno.makeTempDir({ prefix: "tocode_bench_generate_" });
    try {
      await initModel(config, { seed: 1, dir: `${root}/small` });
      // One policy per batch size and graph, created and warmed before any timing: the buffer
      // graph rebuilt from the file's weights (the default), and the file's own graph.
      const policies = new Map<string, Policy>();
      for (const batch of batches) {
        for (const kvCache of ["buffer", "concat"] as const) {
          policies.set(
            `${kvCache}${batch}`,
            await createOnnxPolicy(`${root}/small`, { maxBatch: batch, kvCache }),
          );
        }
      }
      env.allowRemoteModels = false;
      env.localModelPath = `${root}/`;
      const generator = await pipeline("text-generation", "small", {
        dtype: "fp32",
        device: "cpu",
      });
      type Texts = string[];
      const ours = async (
        requests: GenerateRequest[],
        policy: string,
      ): Promise<Texts> => {
        const results = await policies.get(policy)!.generate(requests);
        return results.map((r) => r.completions[0].text);
      };
      const theirs = async (
        prompts: string[],
        batch: number,
        options: Record<string, unknown>,
      ): Promise<Texts> => {
        const texts: string[] = [];
        for (let i = 0; i < prompts.length; i += batch) {
          const out = await generator(prompts.slice(i, i + batch), {
            ...options,
            return_full_text: false,
          }) as unknown as { generated_text: string }[][];
          for (const row of out) texts.push(row[0].generated_text);
        }
        return texts;
      };
      // Warm both engines up.
      for (const key of policies.keys()) await ours([{ prompt: "warm", maxNewTokens: 4 }], key);
      await theirs(["warm"], 1, { max_new_tokens: 4 });

      const table: (string | number)[][] = [[
        "workload",
        "batch",
        "onnx policy tok/s",
        "same, file's graph tok/s",
        "transformers.js tok/s",
        "speed-up",
        "ours peak RSS MiB",
        "theirs peak RSS MiB",
      ]];
      const figures: Record<string, number> = {};
      const measure = async (
        workload: string,
        batch: number,
        requests: number,
        sampled: boolean,
        maxNew: number,
      ) => {
        const prompts = Array.from({ length: requests }, (_, i) => prompt(i));
        const runOurs = (kvCache: string) => () =>
          ours(
            prompts.map((p, i) => ({
              prompt: p,
              maxNewTokens: maxNew,
              temperature: sampled ? 1 : 0,
              seed: i,
            })),
            `${kvCache}${batch}`,
          );
        const runTheirs = () =>
          theirs(prompts, batch, {
            max_new_tokens: maxNew,
            do_sample: sampled,
            ...(sampled ? { temperature: 1, top_k: 0 } : {}),
          });
        // One character per token with this tokenizer: text length counts new tokens on both sides.
        const count = (texts: string[]) => texts.reduce((s, x) => s + x.length, 0);
        // Best rate of `repeats` runs, the two engines taking turns: the machine is shared and
        // noisy. Each rate is counted and timed on the same run (unseeded sampling varies).
        let oursRate = 0;
        let concatRate = 0;
        let theirsRate = 0;
        let a = { value: [] as Texts, peakMiB: 0 };
        let b = { value: [] as Texts, peakMiB: 0 };
        for (let k = 0; k < repeats; k++) {
          let t = performance.now();
          a = await withPeakRss(runOurs("buffer"));
          oursRate = Math.max(oursRate, count(a.value) / ((performance.now() - t) / 1000));
          t = performance.now();
          const c = await runOurs("concat")();
          concatRate = Math.max(concatRate, count(c) / ((performance.now() - t) / 1000));
          t = performance.now();
          b = await withPeakRss(runTheirs);
          theirsRate = Math.max(theirsRate, count(b.value) / ((performance.now() - t) / 1000));
        }
        table.push([
          workload,
          batch,
          Math.round(oursRate),
          Math.round(concatRate),
          Math.round(theirsRate),
          Number((oursRate / theirsRate).toFixed(2)),
          Math.round(a.peakMiB),
          Math.round(b.peakMiB),
        ]);
        const key = `${workload}_b${batch}`;
        figures[`${key}_ours_tokens_per_s`] = Math.round(oursRate);
        figures[`${key}_ours_file_graph_tokens_per_s`] = Math.round(concatRate);
        figures[`${key}_transformersjs_tokens_per_s`] = Math.round(theirsRate);
        figures[`${key}_speedup_x`] = Number((oursRate / theirsRate).toFixed(2));
        figures[`${key}_ours_peak_rss_mib`] = Math.round(a.peakMiB);
        figures[`${key}_transformersjs_peak_rss_mib`] = Math.round(b.peakMiB);
      };
      // Fixed length: greedy, the random model rarely ends early; pure per-step speed. At least 4
      // prompts (consecutive batches): one prompt at batch 1 is ~0.25 s of work, and its ratio
      // read anywhere from 0.88× to 1.5× between runs.
      for (const batch of batches) {
        await measure("greedy-128", batch, Math.max(batch, 4), false, 128);
      }
      // Sampled, 2×batch requests: lengths vary (end-of-sequence), which continuous batching
      // absorbs while a static batch waits for its longest row. At least 8, so that the batch-1
      // cell is more than a few dozen milliseconds of work and its rate more than timing noise.
      for (const batch of batches) {
        await measure("sampled-256", batch, Math.max(2 * batch, 8), true, 256);
      }
      for (const p of policies.values()) await p.close();
      return {
        table,
        figures,
        notes: [
          `model: ${config.num_hidden_layers} layers, hidden ${config.hidden_size}, ` +
          `${config.num_attention_heads} heads (${config.num_key_value_heads} kv), vocab ${config.vocab_size}, fp32, random weights`,
          "same onnx/model.onnx for both; onnxruntime-node CPU, default threads; tokens/s = new tokens / wall time",
          "onnx policy: the buffer graph rebuilt from the file's weights (KV cache read in place, new positions returned); file's graph: the same engine on model.onnx as it is",
          "greedy-128: batch prompts (at least 4), 128 new tokens greedy; sampled-256: 2×batch requests (at least 8), temperature 1, up to 256 new tokens",
          "transformers.js runs more prompts than `batch` as consecutive static batches of `batch` prompts",
          "peak RSS is the whole process (every engine loaded), sampled every 20 ms",
          `best of ${repeats} runs per cell, the engines taking turns`,
        ],
      };
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
