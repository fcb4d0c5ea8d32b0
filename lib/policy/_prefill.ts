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
 * A prefill group this small takes the next prompt whatever its padding: a run has a fixed cost,
 * and below this many positions it dominates.
 */
const SMALL_GROUP = 512;

/**
 * Runs the prompts of new sequences, left-padded, in groups of similar length (see
 * {@linkcode prefillGroups}), and samples each one's first token. `pastNames` are the graph's past
 * inputs (fed empty) and `cacheNames` the outputs holding the prompts' keys and values.
 */
export async function prefill(
  session: ort.InferenceSession,
  joiners: Sequence[],
  options: DecoderSettings & { pastNames: string[]; cacheNames: string[]; positions: boolean },
): Promise<Prefilled[]> {
  const sorted = [...joiners].sort((a, b) => a.prompt.length - b.prompt.length);
  const groups: Prefilled[] = [];
  for (const { start, end } of prefillGroups(sorted.map((s) => s.prompt.length), options)) {
    groups.push(await prefillGroup(session, sorted.slice(start, end), options));
  }
  return groups;
}

/**
 * Splits prompt lengths sorted ascending into runs `[start, end)` whose logits and attention
 * scores stay under the `prefillLogits` and `prefillScores` bounds and whose padding stays under
 * `prefillPadding` of their positions (small groups excepted): every padded position costs a real
 * one's projections, and MATH500's prompts (80–1,793 characters) padded in batches of 64 were
 * 1.56× their length.
 */
export function prefillGroups(
  sortedLengths: number[],
  options: Pick<
    DecoderSettings,
    "heads" | "vocab" | "prefillLogits" | "prefillScores" | "prefillPadding"
  >,
): { start: number; end: number }[] {
  const groups: { start: number; end: number }[] = [];
  let start = 0;
  while (start < sortedLengths.length) {
    let end = start + 1;
    let tokens = sortedLengths[start];
    while (end < sortedLengths.length) {
      // The next length is the group's longest, so it sets the padded width.
      const padded = (end + 1 - start) * sortedLengths[end];
      const real = tokens + sortedLengths[end];
      if (padded * options.vocab > options.prefillLogits) break;
      if (padded * options.heads * sortedLengths[end] > options.prefillScores) break;
      if (padded > SMALL_GROUP && padded - real > options.prefillPadding * padded) break;
      tokens = real;
      end++;
    }
    groups.push({ start, end });
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
