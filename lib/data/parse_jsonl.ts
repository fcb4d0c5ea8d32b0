import type { Problem } from "./problem.ts";

/** Options of {@linkcode parseProblems}. */
export interface ParseProblemsOptions {
  /** Dataset name, used as each problem's `source` and in error messages. */
  dataset: string;
  /** File the text came from, for error messages. */
  path?: string;
}

const REQUIRED = ["id", "problem", "answer"] as const;

/**
 * Parses JSONL text into problems, all or nothing: the first bad row (bad JSON, a missing or
 * empty field, a wrong type, a duplicate id) throws with its line number and field, and no
 * problem is returned. Fields other than id/problem/answer go to `metadata`.
 */
export function parseProblems(text: string, options: ParseProblemsOptions): Problem[] {
  const where = options.path ? ` (${options.path})` : "";
  const fail = (line: number, why: string): never => {
    throw new SyntaxError(`Cannot load dataset "${options.dataset}": line ${line} ${why}${where}`);
  };
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    const n = i + 1;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      fail(n, `is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      fail(n, "is not a JSON object");
    }
    const record = row as Record<string, unknown>;
    for (const field of REQUIRED) {
      const value = record[field];
      if (value === undefined || value === null) fail(n, `has no "${field}" field`);
      const ok = typeof value === "string" ||
        (field !== "problem" && typeof value === "number" && Number.isFinite(value));
      if (!ok) {
        fail(n, `has a "${field}" of type ${typeName(value)}, expected a string`);
      }
      if (String(value).trim() === "") fail(n, `has an empty "${field}" field`);
    }
    const id = String(record.id);
    const first = seen.get(id);
    if (first !== undefined) fail(n, `repeats id "${id}" of line ${first}`);
    seen.set(id, n);
    const { id: _id, problem, answer, ...metadata } = record;
    problems.push({
      id,
      problem: problem as string,
      answer: String(answer),
      source: options.dataset,
      metadata,
    });
  }
  if (problems.length === 0) {
    throw new SyntaxError(`Cannot load dataset "${options.dataset}": the file has no rows${where}`);
  }
  return problems;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return "array";
  return typeof value;
}
