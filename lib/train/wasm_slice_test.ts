import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";

await initBackend("wasm");

Deno.test("wasm slice and unstack give the right values (contiguous, strided, int32, empty)", async () => {
  const x = tf.range(0, 2 * 3 * 4).reshape([2, 3, 4]);
  const values = await x.array() as number[][][];
  const pieces = tf.unstack(x);
  assert.deepEqual(await Promise.all(pieces.map((p) => p.array())), values);
  assert.deepEqual(await tf.slice(x, [1, 1, 0], [1, 2, 4]).array(), [values[1].slice(1, 3)]);
  // Not contiguous: falls back to the backend's own kernel.
  assert.deepEqual(
    await tf.slice(x, [0, 0, 1], [2, 3, 2]).array(),
    values.map((m) => m.map((r) => r.slice(1, 3))),
  );
  assert.deepEqual(await tf.unstack(x, 2)[3].array(), values.map((m) => m.map((r) => r[3])));
  const ints = tf.tensor2d([[1, 2], [3, 4]], undefined, "int32");
  assert.deepEqual(await tf.unstack(ints)[1].array(), [3, 4]);
  assert.deepEqual(await tf.slice(x, [0, 0, 0], [0, 3, 4]).array(), []);
  tf.dispose([x, ints, ...pieces]);
});

Deno.test("wasm unstack stays right while the heap grows under it", async () => {
  // Each piece is allocated after the previous ones: big pieces force the heap to grow mid-way.
  const rows = 8;
  const x = tf.randomNormal([rows, 1 << 20]);
  const expected = await x.data();
  const pieces = tf.unstack(x);
  for (const [i, p] of pieces.entries()) {
    const got = await p.data();
    assert.equal(got[0], expected[i << 20]);
    assert.equal(got[(1 << 20) - 1], expected[((i + 1) << 20) - 1]);
  }
  tf.dispose([x, ...pieces]);
});

Deno.test("gradients through unstack and stack are right on wasm", async () => {
  const x = tf.tensor3d([[[1, 2]], [[3, 4]], [[5, 6]]]);
  const grad = tf.grad((t: tf.Tensor) => tf.stack(tf.unstack(t).map((p, i) => p.mul(i + 1))).sum())(
    x,
  );
  assert.deepEqual(await grad.array(), [[[1, 1]], [[2, 2]], [[3, 3]]]);
  tf.dispose([x, grad]);
});
