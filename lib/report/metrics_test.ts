import assert from "node:assert/strict";
import { codeSelectionAccuracy, referenceDecision } from "./code_selection.ts";
import { meanWithInterval } from "./confidence.ts";
import { majorityAtK } from "./majority.ts";
import { passAtK } from "./pass_at_k.ts";
import { type ScoredSample, summarize } from "./summarize.ts";

const close = (a: number, b: number, eps = 1e-12) =>
  assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

Deno.test("passAtK() matches 1 - C(n-c,k)/C(n,k) computed by hand", () => {
  // n=5, c=2, k=2: 1 - C(3,2)/C(5,2) = 1 - 3/10
  close(passAtK(5, 2, 2), 0.7);
  // n=10, c=3, k=5: 1 - C(7,5)/C(10,5) = 1 - 21/252
  close(passAtK(10, 3, 5), 1 - 21 / 252);
  close(passAtK(8, 0, 4), 0);
  assert.equal(passAtK(8, 5, 4), 1); // fewer than k wrong: any k include a correct one
  close(passAtK(200, 1, 1), 1 / 200);
  assert.throws(() => passAtK(3, 1, 4), /needs 1 <= k <= n/);
  assert.throws(() => passAtK(3, 4, 1), /4 correct of 3/);
});

Deno.test("majorityAtK() votes over the first k answers, ties to the first at the top", () => {
  const v = (key: string | null, correct: boolean) => ({ key, correct });
  const votes = [v("1", false), v("2", true), v(null, false), v("2", true), v("1", false)];
  assert.equal(majorityAtK(votes, 1), false);
  assert.equal(majorityAtK(votes, 2), false, "1 and 2 tie; 1 reached the top first");
  assert.equal(majorityAtK(votes, 4), true, "2 wins 2-1; the unanswered sample does not vote");
  assert.equal(majorityAtK(votes, 5), true, "2-2 tie; 2 reached two votes first");
  assert.equal(majorityAtK([v(null, false)], 1), false);
});

Deno.test("meanWithInterval() gives the mean and a CLT interval over problems", () => {
  const e = meanWithInterval([1, 0, 1, 1]);
  close(e.mean, 0.75);
  // sd = 0.5, se = 0.25, half width = 1.96 * 0.25
  close(e.low, 0.75 - 1.959963984540054 * 0.25);
  assert.equal(e.high, 1, "clipped to 1");
  assert.deepEqual(meanWithInterval([0.5]), { mean: 0.5, low: 0, high: 1, n: 1 });
});

Deno.test("referenceDecision() prefers text when text succeeds by majority, else code", () => {
  assert.equal(referenceDecision({ text: [true, true, false], code: [true] }), "text");
  assert.equal(referenceDecision({ text: [true, false], code: [true, true] }), "code");
  assert.equal(referenceDecision({ text: [false], code: [true, false] }), undefined);
  assert.equal(referenceDecision({ text: [], code: [] }), undefined);
  const r = codeSelectionAccuracy([
    { text: [true], code: [false], autoUsedCode: [true, true, false] },
  ]);
  close(r.accuracy, 1 / 3);
});

const sample = (over: Partial<ScoredSample>): ScoredSample => ({
  problemId: "p",
  dataset: "d",
  subject: "Algebra",
  level: 1,
  sampleIdx: 0,
  correct: true,
  answerKey: "1",
  usedCode: false,
  codeCalls: 0,
  failedCalls: 0,
  completionTokens: 10,
  latencyMs: 100,
  error: null,
  ...over,
});

Deno.test("summarize() agrees with a hand count, overall and by level", () => {
  const samples = [
    // p1 (level 1): 2 of 3 correct, answers 4,4,5; one used code with a failed call
    sample({ problemId: "p1", sampleIdx: 0, correct: true, answerKey: "4" }),
    sample({
      problemId: "p1",
      sampleIdx: 1,
      correct: true,
      answerKey: "4",
      usedCode: true,
      codeCalls: 2,
      failedCalls: 1,
    }),
    sample({ problemId: "p1", sampleIdx: 2, correct: false, answerKey: "5" }),
    // p2 (level 2): 0 of 3 correct, one errored
    sample({ problemId: "p2", level: 2, sampleIdx: 0, correct: false, answerKey: "7" }),
    sample({
      problemId: "p2",
      level: 2,
      sampleIdx: 1,
      correct: null,
      answerKey: null,
      error: "timeout",
    }),
    sample({ problemId: "p2", level: 2, sampleIdx: 2, correct: false, answerKey: "8" }),
    // p3 (level 3): its only sample failed (the server was down): in no accuracy figure
    sample({ problemId: "p3", level: 3, correct: null, answerKey: null, error: "503" }),
    // p4 (level 3): cut by the token budget
    sample({ problemId: "p4", level: 3, correct: false, finishReason: "length" }),
  ];
  const groups = summarize(samples, { ks: [1, 2, 3, 8] });
  const all = groups.find((g) => g.group === "all")!;
  assert.equal(all.problems, 3, "p3 has no graded sample");
  assert.equal(all.samples, 8);
  close(all.accuracy.mean, (2 / 3 + 0 + 0) / 3, 1e-12);
  close(all.passAtK[1], (2 / 3 + 0 + 0) / 3, 1e-12);
  // p1: 1 - C(1,2)/C(3,2) = 1; p4 has one graded sample, so k = 2 is not reported
  assert.equal(all.passAtK[2], undefined, "k above the graded samples per problem");
  const byP1 = summarize(samples.filter((s) => s.problemId !== "p4"), { ks: [1, 2, 3] })[0];
  close(byP1.passAtK[2], (1 + 0) / 2, 1e-12);
  close(byP1.majAtK[2], 0.5); // p1's first two say 4 (right); p2's graded say 7, 8
  assert.equal(byP1.passAtK[3], undefined, "p2 has two graded samples, not three");
  close(all.codeRate, 1 / 6);
  close(all.failedCallRate, 0.5);
  close(all.meanCodeCalls, 2 / 6);
  assert.equal(all.errors, 2);
  assert.equal(all.truncated, 1);
  const level2 = groups.find((g) => g.group === "level=2")!;
  assert.equal(level2.problems, 1);
  assert.equal(level2.accuracy.mean, 0);
  const level3 = groups.find((g) => g.group === "level=3")!;
  assert.equal(level3.errors, 1);
  assert.equal(level3.accuracy.mean, 0, "p4 is wrong; p3's failure counts in no figure");
  assert.ok(groups.some((g) => g.group === "subject=Algebra"));
});
