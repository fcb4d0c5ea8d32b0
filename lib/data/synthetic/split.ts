/** Splits of the synthetic curriculum. */
export type Split = "train" | "dev" | "test";

/** Every split, in order. */
export const SPLITS: readonly Split[] = ["train", "dev", "test"];

// Tenths of the problem space per split, by a hash of the problem's key.
const SPLIT_OF_HASH: readonly Split[] = [
  "test",
  "dev",
  "train",
  "train",
  "train",
  "train",
  "train",
  "train",
  "train",
  "train",
];

/**
 * The split a problem belongs to, from an FNV-1a hash of its key (e.g. its sorted operands):
 * 80% train, 10% dev, 10% test. A problem's split never depends on a seed, so splits drawn with
 * any seeds are disjoint.
 *
 * @example
 * ```ts
 * import { splitOf } from "./split.ts";
 * if (splitOf("add:47,85") !== splitOf("add:47,85")) throw new Error("not a function of the key");
 * ```
 */
export function splitOf(key: string): Split {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return SPLIT_OF_HASH[(h >>> 0) % SPLIT_OF_HASH.length];
}
