import { type DatasetDefinition, jsonlRows } from "../lib/data/dataset.ts";

/** AIME 2025 I and II: 30 problems with integer answers 0-999. */
export const aime25: DatasetDefinition = {
  name: "aime25",
  description: "AIME 2025 I & II, 30 problems, integer answers",
  file: "aime25.jsonl",
  rows: 30,
  answerKind: "integer",
  source: {
    url:
      "https://raw.githubusercontent.com/inclusionAI/AReaL/1b0306631b01becc329af59df560efb754be34af/evaluation/data/aime25/test.jsonl",
    sha256: "b4e273c02d3e7fe1b74b59eae768fc8230bfb0f79539890cb56f4361caac0331",
    license: "Apache-2.0 (AReaL); problems © MAA",
    normalise: (text) =>
      jsonlRows(text).map(({ id: _id, ...row }, i) => ({
        // Source ids 0-14 are AIME I, 15-29 AIME II, in problem order.
        id: `aime2025-${i < 15 ? "I" : "II"}-${String((i % 15) + 1).padStart(2, "0")}`,
        ...row,
        unique_id: String(i),
      })),
  },
};
