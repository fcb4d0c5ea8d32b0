import assert from "node:assert/strict";
import { curateRun } from "../curate/e_step.ts";
import { beginRun, openStore, RolloutWriter, upsertProblems, writeMetrics } from "../store/mod.ts";
import { buildReport } from "./html_report.ts";
import { METHOD_COLORS } from "./render_chart.ts";

Deno.test("buildReport() renders eval, curate and training runs as one offline HTML file", async () => {
  const store = await openStore(":memory:");
  const problems = Array.from({ length: 6 }, (_, i) => ({
    id: `p${i}`,
    dataset: "d",
    problem: `q${i}`,
    answer: "1",
    metadata: { level: (i % 3) + 1, subject: i % 2 ? "Algebra" : "Geometry" },
  }));
  await upsertProblems(store, problems);
  await beginRun(store, "eval", { id: "ev", args: { mode: "auto" } });
  let writer = await RolloutWriter.open(store, "ev");
  for (const p of problems) {
    for (let s = 0; s < 4; s++) {
      await writer.write({
        problem_id: p.id,
        mode: "auto",
        sample_idx: s,
        correct: (s + Number(p.id[1])) % 3 === 0,
        answer: String(s % 2),
        used_code: s % 2 === 0,
      });
    }
  }
  await writer.close();
  await beginRun(store, "curate", { id: "cu" });
  writer = await RolloutWriter.open(store, "cu");
  for (const p of problems) {
    for (const mode of ["text", "code", "auto"] as const) {
      for (let s = 0; s < 2; s++) {
        const r = mode === "code" || Number(p.id[1]) < 3 ? 1 : 0;
        await writer.write({
          problem_id: p.id,
          mode,
          sample_idx: s,
          correct: r === 1,
          reward: s ? r : 1 - r,
          used_code: s === 0,
        });
      }
    }
  }
  await writer.close();
  await curateRun(store, "cu", {
    iteration: 1,
    alpha: Infinity,
    prior: "policy",
    keepUniform: false,
    keepSolved: false,
    size: 100,
    seed: 0,
  });
  await beginRun(store, "train", { id: "tr" });
  for (let step = 0; step < 5; step++) {
    await writeMetrics(store, "tr", { step, values: { loss: 2 / (step + 1) } });
  }

  const html = await buildReport(store, ["ev", "cu", "tr"], { title: "Test report" });
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<title>Test report<\/title>/);
  assert.ok(!/<script/i.test(html), "no scripts: the file opens offline");
  const svgs = html.match(/<svg/g)?.length ?? 0;
  // eval: by level, by subject, pass@k; curate: histogram, Q by level; train: loss curve
  assert.equal(svgs, 6);
  assert.match(html, /<td>all<\/td><td>6<\/td><td>24<\/td>/);
  assert.match(html, /pass@4/);
  await assert.rejects(() => buildReport(store, ["nope"]), /no run "nope"/);
  store.close();
});

Deno.test("buildReport() keeps one colour per method in every chart of a demo and draws Fig. 5", async () => {
  const store = await openStore(":memory:");
  const problems = Array.from({ length: 4 }, (_, i) => ({
    id: `q${i}`,
    dataset: "synthetic",
    problem: `q${i}`,
    answer: "1",
    metadata: { level: (i % 2) + 1 },
  }));
  await upsertProblems(store, problems);
  await beginRun(store, "demo", { id: "demo" });
  const methods = ["autocode", "grpo", "sft"];
  for (const [i, method] of ["base", ...methods].entries()) {
    for (const step of method === "base" ? [0] : [0, 1, 2]) {
      await writeMetrics(store, "demo", {
        step,
        values: {
          [`${method}/accuracy`]: 0.2 + 0.1 * step + 0.01 * i,
          [`${method}/code_rate`]: 0.5,
          [`${method}/code_rate_text_ref`]: 0.5 - 0.1 * step,
          [`${method}/code_rate_code_ref`]: 0.5 + 0.1 * step,
          [`${method}/selection_accuracy`]: 0.5 + 0.1 * step,
          [`${method}/rollouts`]: 40 * step,
        },
      });
    }
  }
  // Training rollouts per method and iteration: EM has 2 auto rollouts a query, the others 6.
  for (const method of methods) {
    for (const it of [1, 2]) {
      const id = `demo/${method}/it${it}/${method === "autocode" ? "curate" : "rollouts"}`;
      await beginRun(store, method === "autocode" ? "curate" : "eval", { id });
      const writer = await RolloutWriter.open(store, id);
      for (const [i, p] of problems.entries()) {
        for (let s = 0; s < (method === "autocode" ? 2 : 6); s++) {
          await writer.write({
            problem_id: p.id,
            mode: "auto",
            sample_idx: s,
            correct: true,
            used_code: (i + s + it) % 3 === 0,
          });
        }
      }
      await writer.close();
    }
  }
  for (const method of ["base", ...methods]) {
    const id = `demo/${method}/eval-final`;
    await beginRun(store, "eval", { id, args: { mode: "auto" } });
    const writer = await RolloutWriter.open(store, id);
    for (const [i, p] of problems.entries()) {
      await writer.write({
        problem_id: p.id,
        mode: "auto",
        sample_idx: 0,
        correct: i % 2 === 0,
        used_code: i < 2,
      });
    }
    await writer.close();
  }
  const html = await buildReport(store, [
    "demo",
    ...["base", ...methods].map((m) => `demo/${m}/eval-final`),
  ]);
  // Vega's default category colours would let a method change colour between charts.
  for (const fallback of ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b"]) {
    assert.doesNotMatch(html, new RegExp(fallback, "i"), `default colour ${fallback}`);
  }
  for (const color of Object.values(METHOD_COLORS)) assert.match(html, new RegExp(color, "i"));
  // Fig. 5: one cell per method and iteration, at EM's resolution (2 auto rollouts a query).
  assert.match(html, /per-query code-invocation rate of the training queries \(2 auto rollouts/);
  assert.match(html, /iteration 2/);
  store.close();
});
