import assert from "node:assert/strict";
import type { Item } from "./skill.ts";
import { limits, renderSolutions } from "./solutions.ts";

const item = (steps: string[], code = "print(2 + 3)"): Item => ({
  problem: "What is 2 + 3?",
  answer: 5n,
  steps,
  code,
  key: "add:2,3",
});

Deno.test("renderSolutions() writes the TIR loop's format: code, its output, the boxed answer", () => {
  assert.equal(
    renderSolutions(item(["2+3=5 -> 5."])).tir,
    "```python\nprint(2 + 3)\n```\n```output\n5\n```\nThe answer is \\boxed{5}.",
  );
  assert.equal(
    renderSolutions(item(["2+3=5 -> 5."])).text,
    "2+3=5 -> 5.\nThe answer is \\boxed{5}.",
  );
});

Deno.test("renderSolutions() takes the most detailed text that fits the budget", () => {
  const long = "x".repeat(limits.text);
  assert.equal(
    renderSolutions(item([long, "2 + 3 = 5."])).text,
    "2 + 3 = 5.\nThe answer is \\boxed{5}.",
  );
  assert.throws(() => renderSolutions(item([long])), /Cannot write a text solution: every form/);
  assert.throws(
    () => renderSolutions(item(["ok"], `print(${"1+".repeat(limits.tir)}1)`)),
    /Cannot write a TIR solution/,
  );
});
