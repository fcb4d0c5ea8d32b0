import type { AnswerKind } from "../lib/data/dataset.ts";
import type { Problem } from "../lib/data/problem.ts";
import {
  generateSynthetic,
  SKILL_NAMES,
  type Split,
  SPLITS,
  type SyntheticOptions,
} from "../lib/data/synthetic/mod.ts";

/** A dataset made by code instead of read from a file. */
export interface GeneratedDataset {
  name: string;
  description: string;
  answerKind: AnswerKind;
  splits: readonly Split[];
  /** Default size of each split. */
  sizes: Record<Split, number>;
  /** Skill names and levels the generator draws from by default. */
  skills: readonly string[];
  levels: readonly number[];
  generate(options: SyntheticOptions): Problem[];
}

/**
 * The synthetic curriculum (docs/curriculum.md): thirteen skills at levels 1-5, integer answers,
 * and a text and a TIR solution per problem in metadata. Loaded as `synthetic` (the test split),
 * `synthetic:train`, `synthetic:dev`, `synthetic:test`, optionally with a size
 * (`synthetic:train:5000`) and a seed (`synthetic:train:5000:7`). Splits are disjoint whatever
 * the seeds.
 */
export const synthetic: GeneratedDataset = {
  name: "synthetic",
  description:
    "generated curriculum from column addition to modular powers, levels 1-5, integer answers",
  answerKind: "integer",
  splits: SPLITS,
  sizes: { train: 4000, dev: 200, test: 200 },
  skills: SKILL_NAMES,
  levels: [1, 2, 3, 4, 5],
  generate: (options) => generateSynthetic(options),
};

/**
 * The copy drill (`Repeat the number 48213.`, 1-12 digits over levels 1-5) with the curriculum's
 * solution formats: the base model's warm-up (configs/base_copy.json), so that it can copy
 * operands before it learns the curriculum. Loaded as `synthetic_copy:train:8000` and the like.
 */
export const syntheticCopy: GeneratedDataset = {
  name: "synthetic_copy",
  description: "drill: repeat a number of 1-12 digits, in the curriculum's solution formats",
  answerKind: "integer",
  splits: SPLITS,
  sizes: { train: 4000, dev: 200, test: 200 },
  skills: ["copy"],
  levels: [1, 2, 3, 4, 5],
  generate: (options) => generateSynthetic({ ...options, skills: ["copy"] }),
};
