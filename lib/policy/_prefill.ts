import * as ort from "onnxruntime-node";
import type { DecoderSettings, Sequence } from "./_sequence.ts";

/** The cache of a group of prefilled sequences: one tensor per cache output, `width` long. */
export interface Prefilled {
  seqs: Sequence[];
  /** Per cache output, `[rows, kv_heads, width, head_dim]`; row r holds seqs[r], left-padded. */
  tensors: Float32Array[];
  width: number;
}

/**
 * Runs the prompts of new sequences, left-padded, in groups whose logits stay under the
 * `prefillLogits` bound, and samples each one's first token. `pastNames` are the graph's past
 * inputs (fed empty) and `cacheNames` the outputs holding the prompts' keys and values.
 */
export async function prefill(
  session: ort.InferenceSession,
  joiners: Sequence[],
  options: DecoderSettings & { pastNames: string[]; cacheNames: string[]; positions: boolean },
): Promise<Prefilled[]> {
  const sorted = [...joiners].sort((a, b) => a.prompt.length - b.prompt.length);
  const groups: Prefilled[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start + 1;
    while (
      end < sorted.length &&
      (end + 1 - start) * sorted[end].prompt.length * options.vocab <= options.prefillLogits
    ) end++;
    groups.push(await prefillGroup(session, sorted.slice(start, end), options));
    start = end;
  }
  return groups;
}

async function prefillGroup(
  session: ort.InferenceSession,
  seqs: Sequence[],
  options: DecoderSettings & { pastNames: string[]; cacheNames: string[]; positions: boolean },
): Promise<Prefilled> {
  const rows = seqs.length;
  const width = Math.max(...seqs.map((s) => s.prompt.length));
  const ids = new BigInt64Array(rows * width);
  const mask = new BigInt64Array(rows * width);
  const positions = new BigInt64Array(rows * width);
  seqs.forEach((seq, r) => {
    const pad = width - seq.prompt.length;
    for (let i = 0; i < seq.prompt.length; i++) {
      ids[r * width + pad + i] = BigInt(seq.prompt[i]);
      mask[r * width + pad + i] = 1n;
      positions[r * width + pad + i] = BigInt(i);
    }
  });
  const { kvHeads, headDim, vocab } = options;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor("int64", ids, [rows, width]),
    attention_mask: new ort.Tensor("int64", mask, [rows, width]),
  };
  if (options.positions) feeds.position_ids = new ort.Tensor("int64", positions, [rows, width]);
  const empty = new Float32Array(0);
  for (const name of options.pastNames) {
    feeds[name] = new ort.Tensor("float32", empty, [rows, kvHeads, 0, headDim]);
  }
  const out = await session.run(feeds);
  const logits = out.logits.data as Float32Array;
  seqs.forEach((seq, r) => {
    seq.len = seq.prompt.length;
    const at = (r * width + width - 1) * vocab;
    options.accept(seq, logits.subarray(at, at + vocab));
  });
  return { seqs, tensors: options.cacheNames.map((n) => out[n].data as Float32Array), width };
}
