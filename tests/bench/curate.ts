import { loadDataset } from "../../datasets/mod.ts";
import { join } from "node:path";
import { curateRun } from "../../lib/curate/mod.ts";
import {
  openPolicy,
  openServices,
  promptBuilder,
  rolloutPass,
  rolloutSettings,
  templates,
} from "../../lib/rollout/mod.ts";
import { beginRun, openStore } from "../../lib/store/mod.ts";
import { defineBench } from "./harness.ts";

const BASE = new URL("../../models/tocode-base", import.meta.url).pathname;

export default defineBench({
  name: "curate",
  description: "E-step rollouts/s end to end on the small model, and the store's share of the time",
  async run() {
    const { problems } = await loadDataset("synthetic:train:24:9");
    const dir = await Deno.makeTempDir({ prefix: "tocode-bench-curate-" });
    const store = await openStore(join(dir, "b.duckdb"));
    const services = openServices({});
    await services.sandbox.start("python");
    const { policy, tokenizer } = await openPolicy(BASE);
    const run = await beginRun(store, "curate", { id: "bench" });
    const started = performance.now();
    const counts = await rolloutPass({
      store,
      runId: run.id,
      problems,
      samples: { text: 4, code: 4, auto: 2 },
      tools: {
        ...services,
        policy,
        template: templates.plain,
        prompt: promptBuilder(templates.plain, policy),
        tokenizer,
      },
      settings: rolloutSettings({ maxCodeCalls: 2, maxTokens: 200, temperature: 1 }),
      seed: 1,
    });
    const rolloutSeconds = (performance.now() - started) / 1000;
    const t = performance.now();
    await curateRun(store, run.id, {
      iteration: 1,
      alpha: Infinity,
      prior: "policy",
      keepUniform: false,
      keepSolved: false,
      size: Infinity,
      seed: 0,
    });
    const eStepSeconds = (performance.now() - t) / 1000;
    await policy.close();
    await services.close();
    store.close();
    const total = rolloutSeconds + eStepSeconds;
    const writeShare = (counts.writeMs ?? 0) / 1000 / total;
    return {
      table: [
        ["stage", "seconds", "share"],
        [
          "rollouts (generate, execute, grade)",
          rolloutSeconds,
          `${(100 * (rolloutSeconds / total)).toFixed(1)}%`,
        ],
        [
          "of which store writes",
          (counts.writeMs ?? 0) / 1000,
          `${(100 * writeShare).toFixed(2)}%`,
        ],
        [
          "E-step statistics and draw",
          eStepSeconds,
          `${(100 * (eStepSeconds / total)).toFixed(1)}%`,
        ],
      ],
      notes: [`${counts.written} rollouts of ${problems.length} queries`],
      figures: {
        rollouts_per_s: Number((counts.written / total).toFixed(2)),
        store_write_share: Number(writeShare.toFixed(4)),
        estep_seconds: Number(eStepSeconds.toFixed(3)),
      },
    };
  },
});
