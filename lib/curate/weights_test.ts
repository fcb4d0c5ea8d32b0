import assert from "node:assert/strict";
import { modeWeights } from "./mode_weights.ts";
import { queryStats } from "./query_stats.ts";
import { subsample } from "./subsample.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

Deno.test("queryStats() estimates Q per mode, pi(code|x) and uniformity", () => {
  const s = queryStats({
    problemId: "x",
    text: [1, 0, 0, 1],
    code: [1, 1, 1, 0],
    autoUsedCode: [true, false, false, false],
  });
  assert.deepEqual(s, {
    problemId: "x",
    qText: 0.5,
    qCode: 0.75,
    piCode: 0.25,
    uniform: false,
    solved: false,
  });
  const solved = queryStats({ problemId: "s", text: [1, 1], code: [1, 1], autoUsedCode: [] });
  assert.deepEqual([solved.uniform, solved.solved], [true, true]);
  const failed = queryStats({ problemId: "f", text: [0, 0], code: [0, 0], autoUsedCode: [] });
  assert.deepEqual([failed.uniform, failed.solved], [true, false]);
  assert.equal(
    queryStats({ problemId: "y", text: [1, 1], code: [1], autoUsedCode: [] }).uniform,
    true,
  );
  assert.equal(queryStats({ problemId: "y", text: [0], code: [0], autoUsedCode: [] }).piCode, 0.5);
  assert.equal(
    queryStats({ problemId: "z", text: [0, 0], code: [0, 1], autoUsedCode: [] }).uniform,
    false,
  );
  assert.throws(
    () => queryStats({ problemId: "w", text: [], code: [1], autoUsedCode: [] }),
    /both modes/,
  );
});

const stats = (qText: number, qCode: number, piCode: number) => ({
  problemId: "x",
  qText,
  qCode,
  piCode,
  uniform: false,
  solved: false,
});

Deno.test("modeWeights() with alpha = infinity takes the argmax of pi*Q, ties to text", () => {
  assert.deepEqual(modeWeights(stats(0.5, 0.75, 0.5), Infinity, "policy"), { text: 0, code: 1 });
  assert.deepEqual(
    modeWeights(stats(0.5, 0.5, 0.5), Infinity, "policy"),
    { text: 1, code: 0 },
    "tie",
  );
  // pi weighs Q: code better in Q but rarely chosen: 0.25*0.8 = 0.2 < 0.75*0.5 = 0.375
  assert.deepEqual(modeWeights(stats(0.5, 0.8, 0.25), Infinity, "policy"), { text: 1, code: 0 });
});

Deno.test("modeWeights() under the uniform prior follows Q alone, whatever the policy chose", () => {
  // The policy's habit: it coded in every auto rollout, and both modes solve 3 of 4.
  assert.deepEqual(modeWeights(stats(0.75, 0.75, 1), Infinity, "policy"), { text: 0, code: 1 });
  assert.deepEqual(modeWeights(stats(0.75, 0.75, 1), Infinity, "uniform"), { text: 1, code: 0 });
  // Code strictly better but rarely chosen: the policy prior keeps text, the uniform one does not.
  assert.deepEqual(modeWeights(stats(0.5, 0.8, 0.25), Infinity, "uniform"), { text: 0, code: 1 });
  // Finite alpha: the softmax of alpha * Q / 2.
  const w = modeWeights(stats(0.5, 1, 0.9), 2, "uniform");
  close(w.text, Math.exp(0.5) / (Math.exp(0.5) + Math.exp(1)));
});

Deno.test("modeWeights() with finite alpha is the softmax of alpha*pi*Q, computed by hand", () => {
  const w = modeWeights(stats(0.5, 1, 0.5), 2, "policy");
  // scores: text 0.25, code 0.5 -> exp(0.5) / (exp(0.5) + exp(1))
  close(w.text, Math.exp(0.5) / (Math.exp(0.5) + Math.exp(1)));
  close(w.text + w.code, 1);
  const flat = modeWeights(stats(0, 1, 1), 0, "policy");
  assert.deepEqual(flat, { text: 0.5, code: 0.5 });
  assert.throws(() => modeWeights(stats(0, 0, 0), -1, "policy"));
});

Deno.test("subsample() is reproducible by seed, never draws a zero weight, respects size", () => {
  const queries = Array.from({ length: 50 }, (_, i) => ({
    problemId: `q${i}`,
    weights: i % 3 === 0 ? { text: 0, code: 1 } : { text: 0.7, code: 0.3 },
  }));
  const a = subsample(queries, { size: 40, seed: 1 });
  const b = subsample(queries, { size: 40, seed: 1 });
  const c = subsample(queries, { size: 40, seed: 2 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(a.length, 40);
  assert.equal(new Set(a.map((d) => `${d.problemId}/${d.mode}`)).size, 40, "no pair twice");
  for (const d of a) {
    const q = queries.find((x) => x.problemId === d.problemId)!;
    assert.ok(q.weights[d.mode] > 0);
  }
  // With argmax weights, asking for everything returns exactly one mode per query.
  const argmax = queries.map((q) => ({ problemId: q.problemId, weights: { text: 1, code: 0 } }));
  assert.equal(subsample(argmax, { size: 1000, seed: 0 }).length, 50);
});

Deno.test("subsample() draws modes in proportion to their weights", () => {
  const queries = Array.from({ length: 4000 }, (_, i) => ({
    problemId: `q${i}`,
    weights: { text: 0.8, code: 0.2 },
  }));
  const draws = subsample(queries, { size: 1000, seed: 7 });
  const codeShare = draws.filter((d) => d.mode === "code").length / draws.length;
  assert.ok(codeShare > 0.14 && codeShare < 0.26, `code share ${codeShare}`);
});
