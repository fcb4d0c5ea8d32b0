import * as tf from "@tensorflow/tfjs";
import type { PolicyTokenizer } from "../policy/tokenizer.ts";
import type { TrainRecord } from "./records.ts";

/** A padded batch, as tensors: inputs and targets shifted by one token. */
export interface Batch {
  ids: tf.Tensor2D; // [B, T] int32 inputs
  targets: tf.Tensor2D; // [B, T] int32 next tokens
  /** 1 where the target is a generated token of an imitated record. */
  nllMask: tf.Tensor2D; // [B, T]
  /** 1 where the target is a generated token of a reinforced record. */
  pgMask: tf.Tensor2D; // [B, T]
  /** Behaviour log-prob of each target (0 where unknown: the ratio is then taken as 1). */
  behaviour: tf.Tensor2D; // [B, T]
  /** 1 where the behaviour log-prob is known. */
  hasBehaviour: tf.Tensor2D; // [B, T]
  advantages: tf.Tensor2D; // [B, 1]
  tokens: number;
}

/** A record tokenized, with the loss mask over its completion. */
export interface Encoded {
  ids: number[];
  /** Per position of `ids`: 1 when it is a generated token (prompt and tool output are 0). */
  generated: number[];
  /** Behaviour log-prob per position (NaN where unknown). */
  behaviour: number[];
}

/**
 * What the sandbox wrote into a completion: the body of an output block and its closing fence.
 * The opening "```output" is the model's own (it is the stop string it sampled).
 */
const TOOL_OUTPUT = /(?<=```output)\n[\s\S]*?```\n?/g;

/**
 * Tokenizes prompt and completion; masks the prompt and every ```output block (tool output is
 * not the model's doing); aligns behaviour log-probs with the generated tokens when their counts
 * match; truncates to `maxLength` tokens.
 */
export function encodeRecord(
  record: TrainRecord,
  tokenizer: PolicyTokenizer,
  options: { maxLength: number; eos: number },
): Encoded {
  const ids = tokenizer.encode(record.prompt);
  const generated = ids.map(() => 0);
  let last = 0;
  const pieces: [string, boolean][] = [];
  for (const m of record.completion.matchAll(TOOL_OUTPUT)) {
    pieces.push([record.completion.slice(last, m.index), true], [m[0], false]);
    last = m.index! + m[0].length;
  }
  pieces.push([record.completion.slice(last), true]);
  for (const [text, byModel] of pieces) {
    if (!text) continue;
    const part = tokenizer.encode(text, { addSpecialTokens: false });
    ids.push(...part);
    generated.push(...part.map(() => (byModel ? 1 : 0)));
  }
  if (record.eos) {
    ids.push(options.eos);
    generated.push(1);
  }
  const behaviour = ids.map(() => NaN);
  const logprobs = record.logprobs ?? [];
  const positions = generated.flatMap((g, i) => (g ? [i] : []));
  // Log-probs cover what was sampled (not a supplied mode prefix): align from the end.
  const offset = positions.length - logprobs.length;
  if (logprobs.length > 0 && offset >= 0) {
    logprobs.forEach((lp, j) => (behaviour[positions[offset + j]] = lp));
  }
  return {
    ids: ids.slice(0, options.maxLength),
    generated: generated.slice(0, options.maxLength),
    behaviour: behaviour.slice(0, options.maxLength),
  };
}

/** Pads encoded records into one batch (right padding, masked). */
export function makeBatch(
  encoded: readonly Encoded[],
  records: readonly TrainRecord[],
  advantages: readonly number[],
  pad: number,
): Batch {
  const length = Math.max(...encoded.map((e) => e.ids.length)) - 1;
  const rows = encoded.length;
  const ids = new Int32Array(rows * length).fill(pad);
  const targets = new Int32Array(rows * length).fill(pad);
  const nll = new Float32Array(rows * length);
  const pg = new Float32Array(rows * length);
  const behaviour = new Float32Array(rows * length);
  const has = new Float32Array(rows * length);
  let tokens = 0;
  encoded.forEach((e, r) => {
    for (let t = 0; t < e.ids.length - 1; t++) {
      const at = r * length + t;
      ids[at] = e.ids[t];
      targets[at] = e.ids[t + 1];
      if (!e.generated[t + 1]) continue;
      tokens++;
      if (records[r].imitate) nll[at] = 1;
      if (records[r].reinforce) pg[at] = 1;
      if (!Number.isNaN(e.behaviour[t + 1])) {
        behaviour[at] = e.behaviour[t + 1];
        has[at] = 1;
      }
    }
  });
  return {
    ids: tf.tensor2d(ids, [rows, length], "int32"),
    targets: tf.tensor2d(targets, [rows, length], "int32"),
    nllMask: tf.tensor2d(nll, [rows, length]),
    pgMask: tf.tensor2d(pg, [rows, length]),
    behaviour: tf.tensor2d(behaviour, [rows, length]),
    hasBehaviour: tf.tensor2d(has, [rows, length]),
    advantages: tf.tensor2d([...advantages], [rows, 1]),
    tokens,
  };
}

/** Frees a batch's tensors. */
export function disposeBatch(batch: Batch): void {
  for (const t of Object.values(batch)) if (t instanceof tf.Tensor) t.dispose();
}
