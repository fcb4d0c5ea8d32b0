/**
 * One row's positions in a cache tensor `[rows, kv_heads, length, head_dim]`: `start` is the
 * first position of the span (the pad width for left-padded rows, 0 for buffer slots).
 */
export interface RowSpan {
  data: Float32Array;
  row: number;
  length: number;
  start: number;
}

/**
 * Copies `len` positions of a row's cache, for every kv head, from one tensor to another, or
 * within one tensor. In place, the heads move in the order that never overwrites a head not yet
 * moved (the last first when moving up); a caller moving several rows orders them the same way.
 */
export function copyRowCache(
  from: RowSpan,
  to: RowSpan,
  options: { len: number; kvHeads: number; headDim: number },
): void {
  const { len, kvHeads, headDim } = options;
  const n = len * headDim;
  const inPlace = from.data === to.data;
  const srcBase = from.row * kvHeads * from.length + from.start;
  const dstBase = to.row * kvHeads * to.length + to.start;
  // Offsets of head h: (base + h * length) * headDim.
  const up = inPlace &&
    dstBase + (kvHeads - 1) * to.length > srcBase + (kvHeads - 1) * from.length;
  for (let k = 0; k < kvHeads; k++) {
    const h = up ? kvHeads - 1 - k : k;
    const src = (srcBase + h * from.length) * headDim;
    const dst = (dstBase + h * to.length) * headDim;
    if (inPlace) {
      if (src !== dst) to.data.copyWithin(dst, src, src + n);
    } else to.data.set(from.data.subarray(src, src + n), dst);
  }
}

/**
 * Writes a decoding step's new keys or values, `fresh` `[rows, kv_heads, 1, head_dim]`, into
 * slot `lens[r]` of each row r of `buffer` `[rows, kv_heads, slots, head_dim]`. One call per
 * tensor instead of one {@linkcode copyRowCache} per row: a step writes rows × tensors positions,
 * and the per-call spans cost more than the copies.
 */
export function writeNewPositions(
  fresh: Float32Array,
  buffer: Float32Array,
  options: { lens: number[]; slots: number; kvHeads: number; headDim: number },
): void {
  const { lens, slots, kvHeads, headDim } = options;
  let src = 0;
  for (let r = 0; r < lens.length; r++) {
    let dst = (r * kvHeads * slots + lens[r]) * headDim;
    for (let h = 0; h < kvHeads; h++) {
      for (let i = 0; i < headDim; i++) buffer[dst + i] = fresh[src + i];
      src += headDim;
      dst += slots * headDim;
    }
  }
}
