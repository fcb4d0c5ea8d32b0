import type { Problem } from "./problem.ts";

/** How a dataset's gold answers are written, so graders and reports know what to expect. */
export type AnswerKind = "latex" | "integer";

/**
 * A benchmark as data: the file it is read from, where its source comes from (pinned URL and
 * sha256), and how a source row becomes a problem. Definitions live in datasets/.
 */
export interface DatasetDefinition {
  name: string;
  description: string;
  /** File name of the normalised JSONL in the data folder. */
  file: string;
  /** Row count of the normalised file, checked after a download. */
  rows: number;
  answerKind: AnswerKind;
  /** Not for evaluation (a training pool). */
  trainingOnly?: boolean;
  /** Where the source file comes from when it is not in the data folder. */
  source: {
    url: string;
    sha256: string;
    license: string;
    /** Problems of this dataset are left out of the source (e.g. MATH500 out of the MATH pool). */
    excludeProblemsOf?: string;
    /**
     * Turns the downloaded source text into normalised rows ({ id, problem, answer, ... }),
     * leaving out rows whose problem text is in `exclude`.
     */
    normalise(text: string, exclude: ReadonlySet<string>): Record<string, unknown>[];
  };
}

/** Parses a source JSONL text into plain objects (sources are trusted, pinned files). */
export function jsonlRows(text: string): Record<string, unknown>[] {
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

/** Loaded problems and where they came from. */
export interface LoadedDataset {
  name: string;
  path: string;
  problems: Problem[];
}

/** A dataset made by code: what the loader needs of it (datasets/ defines them). */
export interface GeneratorEntry {
  name: string;
  /** Default size of each split. */
  sizes: Record<"train" | "dev" | "test", number>;
  generate(options: { split: "train" | "dev" | "test"; size: number; seed: number }): Problem[];
}

/** The datasets names resolve against: files and generators (datasets/mod.ts has the bundled). */
export interface DatasetRegistry {
  files: readonly DatasetDefinition[];
  generated: readonly GeneratorEntry[];
}
