import assert from "node:assert/strict";
import { beginRun, openStore, RolloutWriter, type Store } from "../store/mod.ts";
import { curateRun } from "./e_step.ts";
import type { ModePrior } from "./mode_weights.ts";

/** Rewards of each query's forced rollouts and the choices of its `auto` rollouts. */
type Outcomes = Record<string, { text: number[]; code: number[]; auto: boolean[] }>;

async function writeOutcomes(store: Store, runId: string, outcomes: Outcomes): Promise<void> {
  const writer = await RolloutWriter.open(store, runId);
  for (const [id, o] of Object.entries(outcomes)) {
    for (const mode of ["text", "code"] as const) {
      for (const [i, r] of o[mode].entries()) {
        await writer.write({ problem_id: id, mode, sample_idx: i, correct: r === 1, reward: r });
      }
    }
    for (const [i, used] of o.auto.entries()) {
      await writer.write({
        problem_id: id,
        mode: "auto",
        sample_idx: i,
        used_code: used,
        reward: 0,
      });
    }
  }
  await writer.close();
}

Deno.test("curateRun() stores Q, pi, weights and the drawn set, and the view marks imitation", async () => {
  const store = await openStore(":memory:");
  await beginRun(store, "curate", { id: "c" });
  const outcomes: Outcomes = {
    easy: { text: [1, 1, 1, 0], code: [1, 0, 1, 1], auto: [false, false] }, // text wins (tie -> text)
    hard: { text: [0, 0, 0, 0], code: [1, 1, 0, 1], auto: [true, false] }, // code wins
    none: { text: [0, 0, 0, 0], code: [0, 0, 0, 0], auto: [true, true] }, // uniform: dropped
  };
  await writeOutcomes(store, "c", outcomes);

  const summary = await curateRun(store, "c", {
    iteration: 1,
    alpha: Infinity,
    prior: "policy",
    keepUniform: false,
    keepSolved: false,
    size: Infinity,
    seed: 0,
  });
  assert.deepEqual(
    { queries: summary.queries, kept: summary.kept, drawn: summary.drawn, code: summary.drawnCode },
    { queries: 3, kept: 2, drawn: 2, code: 1 },
  );
  const rows = await store.query<Record<string, unknown>>(
    "SELECT problem_id, q_text, q_code, pi_code, s_code, reference, kept FROM curate_queries ORDER BY problem_id",
  );
  assert.deepEqual(rows, [
    {
      problem_id: "easy",
      q_text: 0.75,
      q_code: 0.75,
      pi_code: 0,
      s_code: 0,
      reference: "text",
      kept: true,
    },
    {
      problem_id: "hard",
      q_text: 0,
      q_code: 0.75,
      pi_code: 0.5,
      s_code: 1,
      reference: "code",
      kept: true,
    },
    {
      problem_id: "none",
      q_text: 0,
      q_code: 0,
      pi_code: 1,
      s_code: 0,
      reference: null,
      kept: false,
    },
  ]);
  const drawn = await store.query("SELECT problem_id, mode FROM curated ORDER BY problem_id");
  assert.deepEqual(drawn, [{ problem_id: "easy", mode: "text" }, {
    problem_id: "hard",
    mode: "code",
  }]);

  const view = await store.query<{ problem_id: string; mode: string; n: number; imitate: number }>(
    `SELECT problem_id, mode, count(*)::INT AS n, sum(imitate::INT)::INT AS imitate
     FROM curated_rollouts GROUP BY ALL ORDER BY ALL`,
  );
  assert.deepEqual(view, [
    { problem_id: "easy", mode: "code", n: 4, imitate: 0 },
    { problem_id: "easy", mode: "text", n: 4, imitate: 3 },
    { problem_id: "hard", mode: "code", n: 4, imitate: 3 },
    { problem_id: "hard", mode: "text", n: 4, imitate: 0 },
  ]);

  // A second E-step of the same run replaces the first.
  await curateRun(store, "c", {
    iteration: 1,
    alpha: Infinity,
    prior: "policy",
    keepUniform: true,
    keepSolved: false,
    size: 1,
    seed: 3,
  });
  const [{ n }] = await store.query<{ n: number }>("SELECT count(*)::INT AS n FROM curated");
  assert.equal(n, 1);
  store.close();
});

Deno.test("curateRun() under the uniform prior keeps solved queries and draws text where it suffices", async () => {
  const store = await openStore(":memory:");
  await beginRun(store, "curate", { id: "c" });
  await writeOutcomes(store, "c", {
    // The policy's habit: it always codes, though text does as well.
    habit: { text: [1, 1, 1, 0], code: [1, 0, 1, 1], auto: [true, true, true, true] },
    hard: { text: [0, 0, 0, 0], code: [1, 1, 0, 1], auto: [false, false, false, false] },
    solved: { text: [1, 1, 1, 1], code: [1, 1, 1, 1], auto: [true, true, true, true] },
    failed: { text: [0, 0, 0, 0], code: [0, 0, 0, 0], auto: [true, false, true, false] },
  });
  const drawn = async (prior: ModePrior, keepSolved: boolean) => {
    await curateRun(store, "c", {
      iteration: 1,
      alpha: Infinity,
      prior,
      keepUniform: false,
      keepSolved,
      size: Infinity,
      seed: 0,
    });
    return await store.query("SELECT problem_id, mode FROM curated ORDER BY problem_id");
  };
  assert.deepEqual(await drawn("policy", false), [
    { problem_id: "habit", mode: "code" },
    { problem_id: "hard", mode: "text" },
  ]);
  assert.deepEqual(await drawn("uniform", true), [
    { problem_id: "habit", mode: "text" },
    { problem_id: "hard", mode: "code" },
    { problem_id: "solved", mode: "text" },
  ]);
  // pi is still stored as the policy's, whatever the prior the weights used.
  const [{ pi_code }] = await store.query<{ pi_code: number }>(
    "SELECT pi_code FROM curate_queries WHERE problem_id = 'habit'",
  );
  assert.equal(pi_code, 1);
  store.close();
});
