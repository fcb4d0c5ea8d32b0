import { join } from "node:path";
import { loadDataset } from "../../lib/data/mod.ts";
import { openPolicy, openServices, rolloutPass, templates } from "../../lib/rollout/mod.ts";
import { beginRun, openStore } from "../../lib/store/mod.ts";
import { defineBench } from "./harness.ts";

const BASE = new URL("../../models/tocode-base", import.meta.url).pathname;

export default defineBench({
  name: "eval",
  description: "problems/s end to end on the small model vs raw generation of the same tokens",
  async run() {
    const { problems } = await loadDataset("synthetic:test:64:5");
    const dir = await Deno.makeTempDir({ prefix: "tocode-bench-eval-" });
    const store = await openStore(join(dir, "b.duckdb"));
    const services = openServices({});
    await services.sandbox.start("python");
    const { policy } = await openPolicy(BASE);
    const options = { maxTokens: 200, temperature: 1, seed: 3 };
    // Warm the engine (first-call allocation and JIT) so neither side of the comparison pays it.
    await policy.generate(
      problems.slice(0, 16).map((p) => ({ prompt: p.problem, maxNewTokens: 64 })),
    );
    const measure = async (mode: "text" | "auto") => {
      const run = await beginRun(store, "eval", { id: mode });
      const started = performance.now();
      await rolloutPass({
        store,
        runId: run.id,
        problems,
        samples: { [mode]: 1 },
        policy,
        sandbox: services.sandbox,
        score: services.score,
        template: templates.plain,
        maxCodeCalls: 2,
        concurrency: 64,
        ...options,
      });
      return (performance.now() - started) / 1000;
    };
    const textSeconds = await measure("text");
    const autoSeconds = await measure("auto");
    const rows = await store.query<{ prompt: string; tokens: number }>(
      "SELECT prompt, completion_tokens AS tokens FROM rollouts WHERE run_id = 'text' ORDER BY problem_id",
    );
    // The same prompts and budgets straight through the policy: text-mode trajectories are one
    // generation step each, so this is the harness's work minus templates, grading and the store.
    const started = performance.now();
    const raw = await policy.generate(rows.map((r) => ({
      prompt: r.prompt,
      maxNewTokens: options.maxTokens,
      stop: templates.plain.stop,
      temperature: options.temperature,
    })));
    const rawSeconds = (performance.now() - started) / 1000;
    const rawTokens = raw.reduce((s, r) => s + r.completions[0].completionTokens, 0);
    const harnessTokens = rows.reduce((s, r) => s + (r.tokens ?? 0), 0);
    await policy.close();
    await services.close();
    store.close();
    const overhead = (textSeconds / harnessTokens) / (rawSeconds / rawTokens) - 1;
    return {
      table: [
        ["pass", "problems", "seconds", "problems/s", "tokens/s"],
        [
          "eval, text mode",
          problems.length,
          textSeconds,
          problems.length / textSeconds,
          harnessTokens / textSeconds,
        ],
        ["eval, auto mode (TIR)", problems.length, autoSeconds, problems.length / autoSeconds, NaN],
        [
          "raw generation (baseline)",
          problems.length,
          rawSeconds,
          problems.length / rawSeconds,
          rawTokens / rawSeconds,
        ],
      ],
      notes: [
        `harness overhead per generated token vs raw generation: ${(100 * overhead).toFixed(1)}%`,
      ],
      figures: {
        text_problems_per_s: Number((problems.length / textSeconds).toFixed(2)),
        auto_problems_per_s: Number((problems.length / autoSeconds).toFixed(2)),
        raw_problems_per_s: Number((problems.length / rawSeconds).toFixed(2)),
        overhead_pct: Number((100 * overhead).toFixed(1)),
      },
    };
  },
});
