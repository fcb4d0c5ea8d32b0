import assert from "node:assert/strict";
import { demoPlans } from "./demo_plan.ts";
import { demoProblems } from "./demo_problems.ts";

Deno.test("demoProblems() draws other train and test problems for another seed", () => {
  const plan = demoPlans.default;
  const one = demoProblems(plan, 1);
  const two = demoProblems(plan, 2);
  assert.equal(one.trainPool.length, plan.iterations * plan.queries);
  assert.equal(one.test.length, plan.testSize);
  assert.deepEqual(one, demoProblems(plan, 1));
  const texts = (ps: { problem: string }[]) => new Set(ps.map((p) => p.problem));
  const shared = (a: Set<string>, b: Set<string>) => [...a].filter((t) => b.has(t)).length;
  // Only a few problems of the smallest cells can repeat across seeds.
  assert.ok(shared(texts(one.trainPool), texts(two.trainPool)) < plan.queries / 4);
  assert.ok(shared(texts(one.test), texts(two.test)) < plan.testSize / 4);
  const train = texts(one.trainPool);
  assert.ok(one.test.every((p) => !train.has(p.problem)), "test and train are disjoint");
});
