import { type DatasetDefinition, jsonlRows } from "../lib/data/dataset.ts";

/** AIME 2024 I and II: 30 problems with integer answers 0-999. */
export const aime24: DatasetDefinition = {
  name: "aime24",
  description: "AIME 2024 I & II, 30 problems, integer answers (leading zeros kept)",
  file: "aime24.jsonl",
  rows: 30,
  answerKind: "integer",
  source: {
    url:
      "https://raw.githubusercontent.com/QwenLM/Qwen2.5-Math/a45202bd16f1ec06f433442dc1152d0074773465/evaluation/data/aime24/test.jsonl",
    sha256: "af2b8bd2aa911b6333ad0df32f3ca05c7ae8ed10f1731f4372c8ae26990bf7ac",
    license: "MIT (Qwen2.5-Math evaluation); problems © MAA",
    normalise: (text) =>
      jsonlRows(text)
        .map(({ id, ...row }) => {
          // The AoPS URL names the exam and problem: .../2024_AIME_II_Problems/Problem_7
          const m = String(row.url).match(/AIME_(I+)_Problems\/Problem_(\d+)/);
          const key = m ? `aime2024-${m[1]}-${m[2].padStart(2, "0")}` : `aime2024-${id}`;
          return { id: key, ...row, unique_id: String(id) };
        })
        .sort((a, b) => a.id.localeCompare(b.id)),
  },
};
