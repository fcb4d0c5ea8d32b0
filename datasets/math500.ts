import { type DatasetDefinition, jsonlRows } from "../lib/data/dataset.ts";

/** MATH500: the 500-problem test split of MATH used by PRM800K ("Let's Verify Step by Step"). */
export const math500: DatasetDefinition = {
  name: "math500",
  description: "500 MATH test problems (PRM800K split), LaTeX answers, subject and level 1-5",
  file: "math500.jsonl",
  rows: 500,
  answerKind: "latex",
  source: {
    url:
      "https://raw.githubusercontent.com/openai/prm800k/7ecc794703b2877f63226f2477a49b34f9b25163/prm800k/math_splits/test.jsonl",
    sha256: "35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132",
    license: "MIT (openai/prm800k); problems from MATH (Hendrycks et al., MIT)",
    normalise: (text) =>
      jsonlRows(text).map((row, i) => ({
        id: `math500-${String(i).padStart(3, "0")}`,
        ...row,
        level: Number(row.level),
      })),
  },
};
