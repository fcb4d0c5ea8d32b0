import { type DatasetDefinition, jsonlRows } from "../lib/data/dataset.ts";

/** GSM8K test: 1,319 grade-school word problems with integer answers. */
export const gsm8kTest: DatasetDefinition = {
  name: "gsm8k_test",
  description: "GSM8K test, 1319 word problems, integer answers",
  file: "gsm8k_test.jsonl",
  rows: 1319,
  answerKind: "integer",
  source: {
    url:
      "https://raw.githubusercontent.com/QwenLM/Qwen2.5-Math/a45202bd16f1ec06f433442dc1152d0074773465/evaluation/data/gsm8k/test.jsonl",
    sha256: "9f098df7ff4522078d6ccec27a5c38a454790fdb51131bedfaa0e490070d5394",
    license: "MIT (GSM8K, OpenAI)",
    normalise: (text) =>
      jsonlRows(text).map((row, i) => {
        const solution = String(row.answer);
        return {
          id: `gsm8k-${String(i).padStart(4, "0")}`,
          problem: row.question,
          answer: solution.split("####").at(-1)!.trim().replaceAll(",", ""),
          source_idx: i,
          solution,
        };
      }),
  },
};
