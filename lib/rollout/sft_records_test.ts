import assert from "node:assert/strict";
import type { Problem } from "../data/problem.ts";
import { CODE_TRIGGER, TEXT_TRIGGER } from "./modes.ts";
import { sftRecords } from "./sft_records.ts";
import { templates } from "./templates.ts";

const problem = (i: number, level: number): Problem => ({
  id: `p${i}`,
  problem: `What is ${i} + ${i}?`,
  answer: String(2 * i),
  source: "t",
  metadata: {
    level,
    text_solution: `${i} + ${i} = ${2 * i}.\nThe answer is \\boxed{${2 * i}}.`,
    tir_solution: `\`\`\`python\nprint(${i}+${i})\n\`\`\`\n\`\`\`output\n${
      2 * i
    }\n\`\`\`\nThe answer is \\boxed{${2 * i}}.`,
  },
});

Deno.test("sftRecords() draws the mode at random, independent of level, with the mode's trigger", () => {
  const problems = Array.from({ length: 400 }, (_, i) => problem(i, (i % 5) + 1));
  const records = sftRecords(problems, { template: templates.plain, codeShare: 0.5, seed: 1 });
  assert.deepEqual(
    records,
    sftRecords(problems, { template: templates.plain, codeShare: 0.5, seed: 1 }),
  );
  for (const r of records) {
    assert.ok(r.prompt.endsWith("Solution: "), "the auto prompt");
    const trigger = r.mode === "code" ? CODE_TRIGGER : TEXT_TRIGGER;
    assert.ok(r.completion.startsWith(`${trigger}\n`));
    assert.equal(r.completion.includes("```python"), r.mode === "code");
  }
  for (const level of [1, 5]) {
    const atLevel = records.filter((_, i) => problems[i].metadata.level === level);
    const share = atLevel.filter((r) => r.mode === "code").length / atLevel.length;
    assert.ok(share > 0.3 && share < 0.7, `code share ${share} at level ${level}`);
  }
  const missing = { ...problem(1, 1), metadata: {} };
  assert.throws(
    () => sftRecords([missing], { template: templates.plain, codeShare: 1, seed: 0 }),
    /problem "p1" has no code solution/,
  );
});
