import { copyRowCache, writeNewPositions } from "./_row_cache.ts";

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/**
 * Re-lays `lens.length` rows of a `[rows, kvHeads, from, headDim]` cache out with `to` slots per
 * row, in place as the buffer decoder does when its slot length changes, and as a copy into a
 * fresh array; the used slots must agree.
 */
function relayout(lens: number[], slots: { from: number; to: number }, kvHeads: number) {
  const headDim = 3;
  const size = lens.length * kvHeads * Math.max(slots.from, slots.to) * headDim;
  const data = new Float32Array(size);
  for (let i = 0; i < lens.length * kvHeads * slots.from * headDim; i++) data[i] = i + 1;
  const fresh = new Float32Array(size);
  const rows = lens.map((_, r) => r);
  // A longer stride moves rows from the last, a shorter one from the first.
  if (slots.to > slots.from) rows.reverse();
  for (const r of rows) {
    const options = { len: lens[r], kvHeads, headDim };
    const at = (d: Float32Array, length: number) => ({ data: d, row: r, length, start: 0 });
    copyRowCache(at(data, slots.from), at(fresh, slots.to), options);
    copyRowCache(at(data, slots.from), at(data, slots.to), options);
  }
  for (const [r, len] of lens.entries()) {
    for (let h = 0; h < kvHeads; h++) {
      const base = ((r * kvHeads + h) * slots.to) * headDim;
      for (let i = base; i < base + len * headDim; i++) {
        assert(data[i] === fresh[i], `row ${r} head ${h}: ${data[i]} vs ${fresh[i]}`);
      }
    }
  }
}

Deno.test("copyRowCache() moves rows to a longer or shorter slot length in place without losing any", () => {
  for (const kvHeads of [1, 2, 4]) {
    // Growing 64 → 96 with two kv heads puts row 1's first head exactly on its second one.
    relayout([60, 59, 3, 64], { from: 64, to: 96 }, kvHeads);
    relayout([32, 1, 17], { from: 32, to: 64 }, kvHeads);
    relayout([20, 2, 31, 32], { from: 96, to: 32 }, kvHeads);
    relayout([5, 64, 0], { from: 64, to: 128 }, kvHeads);
  }
});

Deno.test("writeNewPositions() writes each row's new position at its own slot, as copyRowCache does", () => {
  for (const kvHeads of [1, 2, 4]) {
    const headDim = 3;
    const slots = 8;
    const lens = [0, 7, 3, 5];
    const fresh = new Float32Array(lens.length * kvHeads * headDim).map((_, i) => i + 1);
    const size = lens.length * kvHeads * slots * headDim;
    const expected = new Float32Array(size).fill(-1);
    lens.forEach((len, row) =>
      copyRowCache(
        { data: fresh, row, length: 1, start: 0 },
        { data: expected, row, length: slots, start: len },
        { len: 1, kvHeads, headDim },
      )
    );
    const actual = new Float32Array(size).fill(-1);
    writeNewPositions(fresh, actual, { lens, slots, kvHeads, headDim });
    for (let i = 0; i < size; i++) {
      assert(
        actual[i] === expected[i],
        `kv heads ${kvHeads}, index ${i}: ${actual[i]} vs ${expected[i]}`,
      );
    }
  }
});
