import assert from "node:assert/strict";
import { isEquivalent } from "./equivalent.ts";
import { createGrader } from "./grader.ts";

Deno.test("createGrader() times out a pathological pair, reports it, and keeps grading", async () => {
  // 2^{2^30} keeps the compute engine busy for well over 15 s; the limit is far below that. It
  // also bounds the next pair, the first on a restarted worker, which took over 1.5 s on a loaded
  // 2-core CI machine.
  const grader = createGrader({ timeoutMs: 5000 });
  try {
    const slow = await grader.grade("2^{2^{30}}", "2^{2^{30}}+1");
    assert.equal(slow.equal, false);
    assert.match(slow.reason, /^timeout/);
    assert.equal(slow.pred_norm, "2^{2^{30}}+1", "the verdict still shows the normalised pair");
    assert.equal(grader.stats.timeouts, 1);
    const next = await grader.grade("\\sin^2 x+\\cos^2 x", "1");
    assert.ok(next.equal, next.reason);
    const fast = await grader.grade("025", "25");
    assert.ok(fast.equal);
    assert.deepEqual(grader.stats, { pairs: 3, symbolic: 2, timeouts: 1, errors: 0 });
  } finally {
    await grader.close();
  }
});

Deno.test("createGrader() fails pairs instead of waiting forever when its worker cannot start", async () => {
  const grader = createGrader({ startupMs: 1 });
  try {
    const v = await grader.grade("\\log_2 8", "3");
    assert.equal(v.equal, false);
    assert.match(v.reason, /^grader error: the worker did not start/);
    assert.equal(grader.stats.errors, 1);
    assert.ok((await grader.grade("1/2", "0.5")).equal, "the fast path still works");
  } finally {
    await grader.close();
  }
});

Deno.test("createGrader() gives the same verdicts as isEquivalent(), in order, for concurrent pairs", async () => {
  const pairs: [string, string][] = [
    ["\\sin^2 x+\\cos^2 x", "1"],
    ["x^2+2x+1", "(x+1)^2"],
    ["025", "25"],
    ["\\sqrt{2}", "\\frac{99}{70}"],
    ["\\sqrt[3]{8}", "2"],
    ["\\log_2 8", "4"],
    ["\\frac{1}{2004!}", "\\frac{1}{2006!}"],
    ["(1,2)", "(1,2)"],
    ["6-5i", "-5i+6"],
    ["5x-7y+11z+4=0", "-5x+7y-11z-4=0"],
  ];
  const grader = createGrader();
  try {
    const verdicts = await Promise.all(pairs.map(([g, p]) => grader.grade(g, p)));
    assert.deepEqual(verdicts, pairs.map(([g, p]) => isEquivalent(g, p)));
    // Only pairs beyond the numeric evaluator (\\sin^2 against a constant, roots, logs, 2004!)
    // reach the worker; the planes are decided by value.
    assert.equal(grader.stats.symbolic, 4);
  } finally {
    await grader.close();
  }
});

Deno.test("createGrader().gradeCompletion() extracts the answer, then grades it", async () => {
  const grader = createGrader();
  try {
    const v = await grader.gradeCompletion("\\frac{1}{2}", "<think>1/3?</think> So \\boxed{0.5}.");
    assert.ok(v.equal, v.reason);
    assert.equal(v.answer, "0.5");
    const none = await grader.gradeCompletion("1", "I do not know", { lastNumber: false });
    assert.deepEqual([none.equal, none.reason, none.answer], [false, "no answer found", null]);
  } finally {
    await grader.close();
  }
});

Deno.test("createGrader() refuses an over-long prediction without parsing it", async () => {
  const grader = createGrader({ maxAnswerLength: 10 });
  const v = await grader.grade("1", "1+".repeat(20) + "1");
  assert.equal(v.equal, false);
  assert.match(v.reason, /longer than 10 characters/);
  await grader.close();
});

Deno.test("createGrader().close() answers waiting pairs and refuses new ones", async () => {
  const grader = createGrader();
  const pending = grader.grade("\\sqrt[3]{x}", "x^{1/3}");
  await grader.close();
  const v = await pending;
  assert.equal(v.equal, false);
  assert.equal(v.reason, "grader closed");
  await assert.rejects(() => grader.grade("1", "1"), /grader is closed/);
});
