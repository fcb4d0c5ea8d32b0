import { generateSynthetic, type Split } from "../lib/data/synthetic/mod.ts";
import type { Problem } from "../lib/data/problem.ts";

/** A dataset made by code instead of read from a file. */
export interface GeneratedDataset {
  name: string;
  description: string;
  /** Default size of each split. */
  sizes: Record<Split, number>;
  generate(options: { split: Split; size: number; seed: number }): Problem[];
}

/**
 * The synthetic curriculum: `synthetic` (the test split), `synthetic:train`, `synthetic:dev`,
 * `synthetic:test`, optionally with a size (`synthetic:train:5000`) and a seed
 * (`synthetic:train:5000:7`). Integer answers; splits are disjoint by construction.
 */
export const synthetic: GeneratedDataset = {
  name: "synthetic",
  description: "generated arithmetic-to-number-theory curriculum, levels 1-5, integer answers",
  sizes: { train: 4000, dev: 200, test: 200 },
  generate: (options) => generateSynthetic(options),
};
