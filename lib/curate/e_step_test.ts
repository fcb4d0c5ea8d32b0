import assert from "node:assert/strict";
import { beginRun, openStore, RolloutWriter } from "../store/mod.ts";
import { curateRun } from "./e_step.ts";

Deno.test("curateRun() stores Q, pi, weights and the drawn set, and the view marks imitation", async () => {
  const store = await openStore(":memory:");
  await beginRun(store, "curate", { id: "c" });
  const writer = await RolloutWriter.open(store, "c");
  const outcomes: Record<string, { text: number[]; code: number[]; auto: boolean[] }> = {
    easy: { text: [1, 1, 1, 0], code: [1, 0, 1, 1], auto: [false, false] }, // text wins (tie -> text)
    hard: { text: [0, 0, 0, 0], code: [1, 1, 0, 1], auto: [true, false] }, // code wins
    none: { text: [0, 0, 0, 0], code: [0, 0, 0, 0], auto: [true, true] }, // uniform: dropped
  };
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

  const summary = await curateRun(store, "c", {
    iteration: 1,
    alpha: Infinity,
    keepUniform: false,
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
    keepUniform: true,
    size: 1,
    seed: 3,
  });
  const [{ n }] = await store.query<{ n: number }>("SELECT count(*)::INT AS n FROM curated");
  assert.equal(n, 1);
  store.close();
});
