import { type DatasetDefinition, jsonlRows } from "../lib/data/dataset.ts";
import { lastBoxed } from "./_last_boxed.ts";

/** The 4,500 MATH test problems outside MATH500: a training pool, never for evaluation. */
export const mathPool: DatasetDefinition = {
  name: "math_pool",
  description: "4500 MATH test problems outside MATH500 (training pool, not for evaluation)",
  file: "math_pool.jsonl",
  rows: 4500,
  answerKind: "latex",
  trainingOnly: true,
  source: {
    url:
      "https://raw.githubusercontent.com/microsoft/ToRA/213c1c995038c73fab10343814df7a42f990f026/src/data/math/test.jsonl",
    sha256: "3371949f33dd702d04b43fddd7d53a028de0aaca0e76abb1b875a050297b3aa4",
    license: "MIT (microsoft/ToRA); problems from MATH (Hendrycks et al., MIT)",
    // The full MATH test set minus the problems of MATH500; answers are the last \boxed{} of
    // each solution (the dataset README lists 11 rows whose answer was set by hand).
    excludeProblemsOf: "math500",
    normalise: (text, exclude) =>
      jsonlRows(text)
        .map((row, i) => ({ row, i }))
        .filter(({ row }) => !exclude.has(String(row.problem)))
        .map(({ row, i }, n) => ({
          id: `mathpool-${String(n).padStart(4, "0")}`,
          problem: row.problem,
          answer: lastBoxed(String(row.solution)) ?? "",
          subject: row.type,
          level: Number(String(row.level).replace(/\D/g, "")),
          source_idx: i,
          solution: row.solution,
        })),
  },
};
