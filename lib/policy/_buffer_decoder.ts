import * as ort from "onnxruntime-node";
import { prefill } from "./_prefill.ts";
import { copyRowCache, writeNewPositions } from "./_row_cache.ts";
import {
  advanceRows,
  cacheNames,
  type Decoder,
  type DecoderSettings,
  type Sequence,
} from "./_sequence.ts";

/** Buffer lengths are multiples of this many slots, so they change every so many steps only. */
const SLOT_CHUNK = 32;

/**
 * Decodes with the buffer graph (`exportOnnx(..., { kvCache: "buffer" })`): each row owns slots
 * 0..len-1 of a fixed-length buffer per cache tensor, which is fed to the model as the past
 * without a copy (onnxruntime reads JS memory in place); the model returns only the new position's
 * keys and values, written here into slot `len`. Rows leave by moving the last row into their
 * place and join by copying their prompt cache in, so the batch cache is never rebuilt.
 */
export class BufferDecoder implements Decoder {
  rows: Sequence[] = [];
  readonly maxBatch: number;
  /**
   * Per cache tensor, `[capacity, kv_heads, slots, head_dim]` at the start of a storage that may
   * be longer; the first rows.length rows are used. The storage is kept between batches, up to
   * twice the largest batch cache so far, as a serving engine keeps its cache: releasing it when
   * idle cost ~4% of a batch-64 run in reallocations.
   */
  #buffers: Float32Array[] = [];
  #slots = 0;
  /** Rows the buffers have room for. */
  #capacity = 0;
  #pastNames: string[];
  #newNames: string[];

  constructor(
    private session: ort.InferenceSession,
    private settings: DecoderSettings & { layers: number },
  ) {
    this.maxBatch = settings.maxBatch;
    const names = cacheNames(settings.layers, "buffer");
    this.#pastNames = names.past;
    this.#newNames = names.out;
  }

  readonly parks = true;

  async admit(joiners: Sequence[]) {
    this.#dropFinished();
    const resumed: { seq: Sequence; fresh: Float32Array[] }[] = [];
    for (const seq of joiners.filter((s) => s.resume)) {
      resumed.push({ seq, fresh: await this.#continue(seq) });
    }
    const groups = await prefill(this.session, joiners.filter((s) => !s.resume), {
      ...this.settings,
      positions: true,
      pastNames: this.#pastNames,
      cacheNames: this.#newNames,
    });
    const joining = [
      ...resumed.map((r) => r.seq).filter((s) => !s.done),
      ...groups.flatMap((g) => g.seqs.filter((s) => !s.done)),
    ];
    this.#fit([...this.rows, ...joining]);
    for (const { seq, fresh } of resumed) {
      if (seq.done) continue;
      const row = this.rows.length;
      this.rows.push(seq);
      const past = seq.resume!.ids.length;
      const added = seq.len - past;
      this.#buffers.forEach((buffer, t) => {
        const to = { data: buffer, row, length: this.#slots };
        copyRowCache(
          { data: seq.resume!.tensors[t], row: 0, length: past, start: 0 },
          { ...to, start: 0 },
          { ...this.settings, len: past },
        );
        copyRowCache(
          { data: fresh[t], row: 0, length: added, start: 0 },
          { ...to, start: past },
          { ...this.settings, len: added },
        );
      });
      seq.resume = undefined;
    }
    for (const group of groups) {
      group.seqs.forEach((seq, r) => {
        if (seq.done) return;
        const row = this.rows.length;
        this.rows.push(seq);
        // Left-padded prompt → slots 0..len-1 of the row.
        const { width } = group;
        this.#buffers.forEach((buffer, t) =>
          copyRowCache(
            { data: group.tensors[t], row: r, length: width, start: width - seq.len },
            { data: buffer, row, length: this.#slots, start: 0 },
            { ...this.settings, len: seq.len },
          )
        );
      });
    }
  }

  async step() {
    const rows = this.rows.length;
    this.#fit(this.rows);
    const slots = this.#slots;
    const ids = new BigInt64Array(rows);
    const positions = new BigInt64Array(rows);
    // Keys visible to each row: its used slots, then the new position.
    const mask = new BigInt64Array(rows * (slots + 1));
    for (let r = 0; r < rows; r++) {
      const seq = this.rows[r];
      ids[r] = BigInt(seq.next < 0 ? 0 : seq.next);
      positions[r] = BigInt(seq.len);
      mask.fill(1n, r * (slots + 1), r * (slots + 1) + seq.len);
      mask[r * (slots + 1) + slots] = 1n;
    }
    const { kvHeads, headDim } = this.settings;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", ids, [rows, 1]),
      attention_mask: new ort.Tensor("int64", mask, [rows, slots + 1]),
      position_ids: new ort.Tensor("int64", positions, [rows, 1]),
    };
    const used = rows * kvHeads * slots * headDim;
    this.#pastNames.forEach((name, t) => {
      feeds[name] = new ort.Tensor("float32", this.#buffers[t].subarray(0, used), [
        rows,
        kvHeads,
        slots,
        headDim,
      ]);
    });
    const out = await this.session.run(feeds);
    const lens = this.rows.map((seq) => seq.len);
    this.#newNames.forEach((name, t) => {
      writeNewPositions(out[name].data as Float32Array, this.#buffers[t], {
        lens,
        slots,
        kvHeads,
        headDim,
      });
    });
    advanceRows(this.rows, out.logits.data as Float32Array, this.settings);
  }

  get cacheBytes(): number {
    return this.#buffers.reduce((sum, b) => sum + b.byteLength, 0);
  }

  clear() {
    this.rows = [];
    this.#buffers = [];
    this.#slots = 0;
    this.#capacity = 0;
  }

  /**
   * Runs the part of a resumed sequence's prompt its parked cache lacks, against that cache, and
   * samples its first token: only the new tokens are computed. Returns their keys and values.
   */
  async #continue(seq: Sequence): Promise<Float32Array[]> {
    const { kvHeads, headDim, vocab } = this.settings;
    const parked = seq.resume!;
    const past = parked.ids.length;
    const fresh = seq.prompt.slice(past);
    const width = fresh.length;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", BigInt64Array.from(fresh, BigInt), [1, width]),
      attention_mask: new ort.Tensor("int64", new BigInt64Array(past + width).fill(1n), [
        1,
        past + width,
      ]),
      position_ids: new ort.Tensor(
        "int64",
        BigInt64Array.from(fresh, (_, i) => BigInt(past + i)),
        [1, width],
      ),
    };
    this.#pastNames.forEach((name, t) => {
      feeds[name] = new ort.Tensor("float32", parked.tensors[t], [1, kvHeads, past, headDim]);
    });
    const out = await this.session.run(feeds);
    seq.len = seq.prompt.length;
    const logits = out.logits.data as Float32Array;
    this.settings.accept(seq, logits.subarray((width - 1) * vocab, width * vocab));
    return this.#newNames.map((name) => out[name].data as Float32Array);
  }

  /** Removes finished rows, moving the last row into each hole; parks the ones asked to. */
  #dropFinished() {
    for (let r = this.rows.length - 1; r >= 0; r--) {
      if (!this.rows[r].done) continue;
      const seq = this.rows[r];
      if (seq.park && seq.parkLen !== undefined) seq.park(this.#parkedCopy(r, seq));
      const last = this.rows.length - 1;
      if (r !== last) {
        this.#copyRow(last, r, this.rows[last].len);
        this.rows[r] = this.rows[last];
      }
      this.rows.pop();
    }
  }

  /** A copy of row r's first `parkLen` positions, per cache tensor `[kv_heads, len, head_dim]`. */
  #parkedCopy(r: number, seq: Sequence) {
    const len = seq.parkLen!;
    const tensors = this.#buffers.map((data) => {
      const copy = new Float32Array(this.settings.kvHeads * len * this.settings.headDim);
      copyRowCache(
        { data, row: r, length: this.#slots, start: 0 },
        { data: copy, row: 0, length: len, start: 0 },
        { ...this.settings, len },
      );
      return copy;
    });
    return { ids: [...seq.prompt, ...seq.ids].slice(0, len), tensors };
  }

  #copyRow(from: number, to: number, len: number) {
    const length = this.#slots;
    for (const data of this.#buffers) {
      copyRowCache(
        { data, row: from, length, start: 0 },
        { data, row: to, length, start: 0 },
        { ...this.settings, len },
      );
    }
  }

  /**
   * Resizes the buffers so that every one of `seqs` has a row and a slot for its next position:
   * grown when one would not, shrunk when the longest row is two chunks short of the length
   * (attention reads every slot, used or not). A new slot length re-lays the rows out in place
   * while the storage is large enough; storage grows by doubling, so a long generation allocates
   * (and zero-fills) a few times instead of at every chunk.
   */
  #fit(seqs: Sequence[]) {
    const needed = Math.max(1, ...seqs.map((s) => s.len + 1));
    const fits = needed <= this.#slots && needed > this.#slots - 2 * SLOT_CHUNK;
    if (fits && seqs.length <= this.#capacity) return;
    const slots = Math.ceil(needed / SLOT_CHUNK) * SLOT_CHUNK;
    const { kvHeads, headDim, maxBatch } = this.settings;
    const capacity = Math.max(seqs.length, Math.min(maxBatch, Math.ceil(seqs.length / 8) * 8));
    const size = capacity * kvHeads * slots * headDim;
    // In place, a longer row stride moves rows from the last, a shorter one from the first.
    const order = this.rows.map((_, r) => r);
    if (slots > this.#slots) order.reverse();
    this.#buffers = Array.from({ length: this.#pastNames.length }, (_, t) => {
      const old = this.#buffers[t];
      const buffer = old && old.length >= size
        ? old
        : new Float32Array(Math.max(size, 2 * (old?.length ?? 0)));
      for (const r of old ? order : []) {
        copyRowCache(
          { data: old, row: r, length: this.#slots, start: 0 },
          { data: buffer, row: r, length: slots, start: 0 },
          { ...this.settings, len: this.rows[r].len },
        );
      }
      return buffer;
    });
    this.#slots = slots;
    this.#capacity = capacity;
  }
}
