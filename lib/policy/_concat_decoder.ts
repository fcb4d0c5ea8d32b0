import * as ort from "onnxruntime-node";
import { prefill } from "./_prefill.ts";
import { copyRowCache } from "./_row_cache.ts";
import {
  advanceRows,
  cacheNames,
  type Decoder,
  type DecoderSettings,
  type Sequence,
} from "./_sequence.ts";

/**
 * Decodes with the standard graph (Optimum / transformers.js I/O): the present cache is the past
 * with the new position appended, rows are left-padded to a common length, and a row joining or
 * leaving rebuilds the whole batch cache. Any Qwen2/Llama export runs this way.
 */
export class ConcatDecoder implements Decoder {
  rows: Sequence[] = [];
  readonly maxBatch: number;
  /** Per cache tensor, `[rows, kv_heads, length, head_dim]`. */
  #cache: Float32Array[] = [];
  #length = 0;
  /** Output buffers of the decoding steps, two per cache tensor, used in turn. */
  #pools: Float32Array[] = [];
  #flip = 0;
  #pastNames: string[];
  #presentNames: string[];

  constructor(
    private session: ort.InferenceSession,
    private settings: DecoderSettings & { layers: number; positions: boolean },
  ) {
    this.maxBatch = settings.maxBatch;
    const names = cacheNames(settings.layers, "concat");
    this.#pastNames = names.past;
    this.#presentNames = names.out;
  }

  async admit(joiners: Sequence[]) {
    const sources: { seq: Sequence; tensors: Float32Array[]; row: number; length: number }[] = [];
    this.rows.forEach((seq, row) => {
      if (!seq.done) sources.push({ seq, tensors: this.#cache, row, length: this.#length });
    });
    const groups = await prefill(this.session, joiners, {
      ...this.settings,
      pastNames: this.#pastNames,
      cacheNames: this.#presentNames,
    });
    for (const group of groups) {
      group.seqs.forEach((seq, row) => {
        sources.push({ seq, tensors: group.tensors, row, length: group.width });
      });
    }
    const kept = sources.filter((s) => !s.seq.done);
    const length = Math.max(0, ...kept.map((s) => s.seq.len));
    const { kvHeads, headDim } = this.settings;
    this.#cache = this.#pastNames.map((_, t) => {
      const data = new Float32Array(kept.length * kvHeads * length * headDim);
      kept.forEach((source, i) => {
        const len = source.seq.len;
        copyRowCache(
          {
            data: source.tensors[t],
            row: source.row,
            length: source.length,
            start: source.length - len,
          },
          { data, row: i, length, start: length - len },
          { ...this.settings, len },
        );
      });
      return data;
    });
    this.rows = kept.map((s) => s.seq);
    this.#length = length;
  }

  async step() {
    const rows = this.rows.length;
    const total = this.#length + 1;
    const ids = new BigInt64Array(rows);
    const positions = new BigInt64Array(rows);
    const mask = new BigInt64Array(rows * total);
    for (let r = 0; r < rows; r++) {
      const seq = this.rows[r];
      ids[r] = BigInt(seq.next < 0 ? 0 : seq.next);
      positions[r] = BigInt(seq.len);
      mask.fill(1n, r * total + total - seq.len - 1, (r + 1) * total);
    }
    const { kvHeads, headDim, vocab } = this.settings;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", ids, [rows, 1]),
      attention_mask: new ort.Tensor("int64", mask, [rows, total]),
    };
    if (this.settings.positions) {
      feeds.position_ids = new ort.Tensor("int64", positions, [rows, 1]);
    }
    const pastDims = [rows, kvHeads, this.#length, headDim];
    this.#pastNames.forEach((name, t) => {
      feeds[name] = new ort.Tensor("float32", this.#cache[t], pastDims);
    });
    // Outputs go into preallocated pools (two per cache tensor, used in turn): no fresh
    // allocation per step for onnxruntime to write the grown cache into.
    const fetches: Record<string, ort.Tensor> = {
      logits: new ort.Tensor("float32", new Float32Array(rows * vocab), [rows, 1, vocab]),
    };
    const size = rows * kvHeads * total * headDim;
    this.#flip = 1 - this.#flip;
    this.#presentNames.forEach((name, t) => {
      const key = 2 * t + this.#flip;
      let pool = this.#pools[key];
      if (!pool || pool.length < size) {
        pool = this.#pools[key] = new Float32Array(Math.ceil(size * 1.25));
      }
      fetches[name] = new ort.Tensor("float32", pool.subarray(0, size), [
        rows,
        kvHeads,
        total,
        headDim,
      ]);
    });
    const out = await this.session.run(feeds, fetches);
    this.#cache = this.#presentNames.map((n) => out[n].data as Float32Array);
    this.#length = total;
    advanceRows(this.rows, out.logits.data as Float32Array, this.settings);
  }

  readonly parks = false;

  get cacheBytes(): number {
    return this.#cache.reduce((sum, c) => sum + c.byteLength, 0);
  }

  clear() {
    this.rows = [];
    this.#cache = [];
    this.#length = 0;
  }
}
