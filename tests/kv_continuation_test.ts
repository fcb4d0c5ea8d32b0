/**
 * KV continuation: across a tool call the local engine keeps the trajectory's cache and prefills
 * only the inserted tokens. Seeded rollouts must be the same rows as with every step prefilled
 * from scratch.
 */
import assert from "node:assert/strict";
import { loadDataset } from "../datasets/mod.ts";
import { createOnnxPolicy, loadTokenizer } from "../lib/policy/mod.ts";
import {
  openServices,
  promptBuilder,
  rolloutPass,
  rolloutSettings,
  templates,
} from "../lib/rollout/mod.ts";
import { beginRun, openStore } from "../lib/store/mod.ts";

const BASE = new URL("../models/tocode-base", import.meta.url).pathname;

Deno.test("seeded rollouts are the same rows with KV continuation on and off", async () => {
  const problems = (await loadDataset("synthetic:test:32:5")).problems;
  const tokenizer = await loadTokenizer(BASE);
  const services = openServices({ sandboxWorkers: 2 });
  const rows: Record<string, unknown>[][] = [];
  const stats: { prefillTokens: number; reusedTokens: number }[] = [];
  try {
    for (const kvContinuation of [true, false]) {
      const policy = await createOnnxPolicy(BASE, { kvContinuation });
      const store = await openStore(":memory:");
      await beginRun(store, "eval", { id: "kv" });
      await rolloutPass({
        store,
        runId: "kv",
        problems,
        samples: { code: 2, auto: 1 },
        tools: {
          ...services,
          policy,
          template: templates.plain,
          prompt: promptBuilder(templates.plain, policy),
          tokenizer,
        },
        // A generous cell timeout: a timeout under load would change one side's rows only.
        settings: rolloutSettings({ maxTokens: 300, temperature: 1, execTimeoutMs: 120_000 }),
        seed: 11,
      });
      rows.push(
        await store.query(
          `SELECT problem_id, mode, sample_idx, completion, code_calls, response_ids::VARCHAR AS ids,
             response_logprobs::VARCHAR AS lp
           FROM rollouts ORDER BY problem_id, mode, sample_idx`,
        ),
      );
      stats.push({ ...policy.stats! });
      store.close();
      await policy.close();
    }
  } finally {
    await services.close();
  }
  const [on, off] = rows;
  assert.equal(on.length, 96);
  assert.ok(on.some((r) => Number(r.code_calls) > 0), "tool calls happened");
  assert.deepEqual(
    on.map(({ lp: _, ...r }) => r),
    off.map(({ lp: _, ...r }) => r),
    "same completions and token ids",
  );
  // Log-probs come from keys computed while decoding rather than in a prefill: equal to float
  // rounding, not bit for bit.
  let drift = 0;
  on.forEach((r, i) => {
    const a = JSON.parse(String(r.lp).replaceAll("NULL", "null")) as (number | null)[];
    const b = JSON.parse(String(off[i].lp).replaceAll("NULL", "null")) as (number | null)[];
    a.forEach((x, j) => {
      assert.equal(x === null, b[j] === null);
      if (x !== null) drift = Math.max(drift, Math.abs(x - b[j]!));
    });
  });
  assert.ok(drift < 1e-3, `log-prob drift ${drift}`);
  assert.equal(stats[1].reusedTokens, 0);
  assert.ok(stats[0].reusedTokens > 0, "continuations reused their caches");
  assert.ok(
    stats[0].prefillTokens < stats[1].prefillTokens,
    `prefilled ${stats[0].prefillTokens} vs ${stats[1].prefillTokens} tokens`,
  );
  console.log(
    `prefill tokens: ${stats[0].prefillTokens} with continuation (${
      stats[0].reusedTokens
    } reused) vs ${stats[1].prefillTokens} without; largest log-prob drift ${
      drift.toExponential(1)
    }`,
  );
});
