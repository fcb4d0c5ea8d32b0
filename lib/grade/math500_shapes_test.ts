import { loadDataset } from "../../datasets/mod.ts";
import assert from "node:assert/strict";
import { isEquivalent } from "./equivalent.ts";
import { extractAnswer } from "./extract.ts";
import { parseStructure } from "./structure.ts";
import { normalizeAnswer } from "./normalize.ts";
import {
  cosmeticRewrite as rewrite,
  perturb,
  semanticRewrite,
} from "../../tests/fixtures/answer_rewrites.ts";
const answers = (await loadDataset("math500")).problems.map((p) => p.answer);
const aime = [
  ...(await loadDataset("aime24")).problems,
  ...(await loadDataset("aime25")).problems,
].map((p) => p.answer);

/** The shape of an answer: its structure and the kind of its entries. */
function shape(answer: string): string {
  const body = normalizeAnswer(answer);
  const flavour = /^-?\d+$/.test(body)
    ? "integer"
    : /^-?\d*\.\d+$/.test(body)
    ? "decimal"
    : /^-?\\frac\{\d+\}\{\d+\}$/.test(body)
    ? "fraction"
    : /^[A-Za-z]+$/.test(body)
    ? "text"
    : /i$/.test(body) && !/[a-hj-z]/i.test(body.replace(/\\[a-z]+/gi, ""))
    ? "complex"
    : /[a-zA-Z]/.test(body.replace(/\\(?:begin|end)\{\w+\}|\\(?:sqrt|pi|frac|infty|pm|cup)/g, ""))
    ? "expression"
    : /\\sqrt|\\pi/.test(body)
    ? "radical or pi"
    : "other";
  return `${parseStructure(body).kind}/${flavour}`;
}

const byShape = Map.groupBy(answers, shape);

Deno.test("the MATH500 answers cover every structure the grader knows", () => {
  const kinds = new Set([...byShape.keys()].map((s) => s.split("/")[0]));
  assert.deepEqual([...kinds].sort(), ["interval", "matrix", "relation", "scalar", "set", "tuple"]);
  assert.ok(byShape.size >= 15, `${byShape.size} shapes: ${[...byShape.keys()]}`);
});

for (const [name, group] of byShape) {
  Deno.test(`MATH500 shape ${name} (${group.length}): equals itself and a rewrite, not a perturbation`, () => {
    for (const a of group) {
      assert.ok(isEquivalent(a, a).equal, `itself: ${a}`);
      const r = rewrite(a);
      const v = isEquivalent(a, r);
      assert.ok(v.equal, `rewrite: ${a} ~ ${r}: ${v.reason}`);
      const p = perturb(a);
      const w = isEquivalent(a, p);
      assert.ok(!w.equal, `perturbed: ${a} vs ${p}: ${w.reason}`);
    }
  });
}

Deno.test("every MATH500 gold answer equals itself", () => {
  const failures = answers.filter((a) => !isEquivalent(a, a).equal);
  assert.deepEqual(failures, []);
});

Deno.test("MATH500 answers equal rewrites that need the numeric, set or symbolic rules", () => {
  const pairs = answers.map((a) => [a, semanticRewrite(a)] as const).filter(([, r]) => r);
  assert.ok(pairs.length > 350, `${pairs.length} rewritable answers`);
  const failures = pairs.filter(([a, r]) => !isEquivalent(a, r!).equal);
  assert.deepEqual(failures.map(([a, r]) => [a, r, isEquivalent(a, r!).reason]), []);
});

Deno.test("every AIME answer equals its plain and boxed integer and differs from its neighbours", () => {
  assert.equal(aime.length, 60);
  for (const a of aime) {
    const n = BigInt(a);
    for (const same of [`${n}`, `\\boxed{${n}}`, `$${n}$.`, `${n}.0`]) {
      assert.ok(isEquivalent(a, same).equal, `${a} ~ ${same}`);
    }
    for (const other of [`${n + 1n}`, `${n - 1n}`, `${a}0`, `-${n}`]) {
      assert.ok(!isEquivalent(a, other).equal, `${a} vs ${other}`);
    }
  }
});

Deno.test("MATH500 verdicts are the same with both sides extracted first, as --extract grades", () => {
  const viaExtraction = (gold: string, pred: string) =>
    isEquivalent(extractAnswer(gold)!.answer, extractAnswer(pred)?.answer ?? "").equal;
  const changed = answers.flatMap((a) =>
    [[a, a], [a, rewrite(a)], [a, perturb(a)]]
      .filter(([g, p]) => viaExtraction(g, p) !== isEquivalent(g, p).equal)
  );
  assert.deepEqual(changed, []);
  const boxed = answers.filter((a) => !viaExtraction(a, `So the answer is $\\boxed{${a}}$.`));
  assert.deepEqual(boxed, []);
});
