import assert from "node:assert/strict";
import { codeSelectionAccuracy } from "../report/code_selection.ts";
import { decisionScores, referenceDecisions } from "./decision_scores.ts";

const T = true;
const F = false;

Deno.test("referenceDecisions() takes text on a text majority, else code on a code majority, else none", () => {
  const references = referenceDecisions([
    { problemId: "both", text: [T, T, F], code: [T, T, T] },
    { problemId: "code", text: [T, F, F], code: [T, T, F] },
    { problemId: "half", text: [T, F], code: [T, F] },
    { problemId: "none", text: [F, F, F], code: [F, F, F] },
  ]);
  assert.deepEqual(Object.fromEntries(references), { both: "text", code: "code" });
});

Deno.test("decisionScores() splits the code rate by reference and counts every decision", () => {
  const references = referenceDecisions([
    { problemId: "t1", text: [T, T], code: [F, F] },
    { problemId: "t2", text: [T, T], code: [T, T] },
    { problemId: "c1", text: [F, F], code: [T, T] },
    { problemId: "x", text: [F, F], code: [F, F] },
  ]);
  const scores = decisionScores([
    { problemId: "t1", autoUsedCode: [T, F, F, F] }, // 3 of 4 right
    { problemId: "t2", autoUsedCode: [T, T] }, // 0 of 2 right
    { problemId: "c1", autoUsedCode: [T, T, F] }, // 2 of 3 right
    { problemId: "x", autoUsedCode: [T] }, // no reference
    { problemId: "unseen", autoUsedCode: [F] }, // not in the references
  ], references);
  assert.equal(scores.selectionAccuracy, 5 / 9);
  assert.equal(scores.codeRateTextRef, 3 / 6);
  assert.equal(scores.codeRateCodeRef, 2 / 3);
  assert.equal(scores.textRefProblems, 2);
  assert.equal(scores.codeRefProblems, 1);
});

Deno.test("decisionScores() agrees with codeSelectionAccuracy() when the references are the run's own", () => {
  const evidence = [
    { problemId: "a", text: [T, T, F], code: [F, T, F], autoUsedCode: [F, T] },
    { problemId: "b", text: [F, F, F], code: [T, T, F], autoUsedCode: [T, T, F] },
    { problemId: "c", text: [F, F, F], code: [F, F, F], autoUsedCode: [T] },
    { problemId: "d", text: [T, T, T], code: [T, T, T], autoUsedCode: [F] },
  ];
  const own = codeSelectionAccuracy(evidence);
  const scores = decisionScores(evidence, referenceDecisions(evidence));
  assert.equal(scores.selectionAccuracy, own.accuracy);
});

Deno.test("decisionScores() gives NaN for a reference group with no decisions", () => {
  const scores = decisionScores([{ problemId: "a", autoUsedCode: [T] }], new Map([["a", "code"]]));
  assert.equal(scores.selectionAccuracy, 1);
  assert.ok(Number.isNaN(scores.codeRateTextRef));
  assert.equal(scores.codeRateCodeRef, 1);
});
