import assert from "node:assert/strict";
import { curateRun } from "../curate/e_step.ts";
import { beginRun, openStore, RolloutWriter, upsertProblems, writeMetrics } from "../store/mod.ts";
import { buildReport } from "./html_report.ts";

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
    keepUniform: false,
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
