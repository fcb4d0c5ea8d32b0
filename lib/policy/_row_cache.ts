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

/** Copies `len` positions of a row's cache, for every kv head, from one tensor to another. */
export function copyRowCache(
  from: RowSpan,
  to: RowSpan,
  options: { len: number; kvHeads: number; headDim: number },
): void {
  const { len, kvHeads, headDim } = options;
  for (let h = 0; h < kvHeads; h++) {
    const src = ((from.row * kvHeads + h) * from.length + from.start) * headDim;
    const dst = ((to.row * kvHeads + h) * to.length + to.start) * headDim;
    to.data.set(from.data.subarray(src, src + len * headDim), dst);
  }
}
