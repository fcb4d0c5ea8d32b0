import assert from "node:assert/strict";
import { createSandbox } from "../../sandbox/mod.ts";
import { generateSynthetic, splitOf } from "./generate.ts";
import { skills } from "./skills.ts";

Deno.test("generateSynthetic() is reproducible by seed and differs across seeds", () => {
  const a = generateSynthetic({ split: "train", size: 50, seed: 3 });
  assert.deepEqual(a, generateSynthetic({ split: "train", size: 50, seed: 3 }));
  const b = generateSynthetic({ split: "train", size: 50, seed: 4 });
  assert.notDeepEqual(a.map((p) => p.problem), b.map((p) => p.problem));
});

Deno.test("train, dev and test splits are disjoint whatever the seeds", () => {
  const texts = (split: "train" | "dev" | "test", seed: number) =>
    new Set(generateSynthetic({ split, size: 300, seed }).map((p) => p.problem));
  const train = texts("train", 1);
  const dev = texts("dev", 2);
  const test = texts("test", 3);
  for (const t of test) assert.ok(!train.has(t) && !dev.has(t), t);
  for (const d of dev) assert.ok(!train.has(d), d);
  for (const t of train) assert.equal(splitOf(t), "train");
});

Deno.test("every problem's text solution ends in the boxed gold answer", () => {
  for (const p of generateSynthetic({ split: "dev", size: 400, seed: 0 })) {
    assert.ok(String(p.metadata.text_solution).endsWith(`\\boxed{${p.answer}}.`), p.id);
    assert.ok(String(p.metadata.tir_solution).endsWith(`\\boxed{${p.answer}}.`), p.id);
    assert.match(p.answer, /^-?\d+$/);
  }
});

Deno.test("TIR solutions, run in the sandbox, print their output block and the gold answer", async () => {
  const sandbox = createSandbox({ workers: 2 });
  try {
    const problems = [];
    for (const skill of Object.keys(skills)) {
      for (const level of [1, 2, 3, 4, 5]) {
        problems.push(
          ...generateSynthetic({
            split: "train",
            size: 2,
            seed: level,
            skills: [skill],
            levels: [level],
          }),
        );
      }
    }
    assert.equal(problems.length, Object.keys(skills).length * 10);
    const results = await Promise.all(problems.map((p) => {
      const code = String(p.metadata.tir_solution).match(/```python\n([\s\S]*?)```/)![1];
      return sandbox.exec(code, { timeoutMs: 20_000 });
    }));
    for (const [i, p] of problems.entries()) {
      const shown = String(p.metadata.tir_solution).match(/```output\n([\s\S]*?)```/)![1];
      assert.equal(results[i].status, "ok", `${p.problem}: ${results[i].error}`);
      assert.equal(results[i].stdout, shown, p.problem);
      assert.equal(results[i].stdout.trim(), p.answer, p.problem);
    }
  } finally {
    await sandbox.close();
  }
});
