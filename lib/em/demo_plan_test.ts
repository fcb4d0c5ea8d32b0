import assert from "node:assert/strict";
import { evaluatesAfter } from "./demo_plan.ts";

const after = (iterations: number, testEvery: number) =>
  Array.from({ length: iterations }, (_, i) => i + 1)
    .filter((it) => evaluatesAfter({ iterations, testEvery }, it));

Deno.test("the test split is evaluated after every testEvery-th iteration and after the last", () => {
  assert.deepEqual(after(3, 0), [3]);
  assert.deepEqual(after(3, 1), [1, 2, 3]);
  assert.deepEqual(after(5, 2), [2, 4, 5]);
  assert.deepEqual(after(4, 2), [2, 4]);
  assert.deepEqual(after(2, 7), [2]);
});
