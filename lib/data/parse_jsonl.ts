import type { Problem } from "./problem.ts";

/** Options of {@linkcode parseProblems}. */
export interface ParseProblemsOptions {
  /** Dataset name, used as each problem's `source` and in error messages. */
  dataset: string;
  /** File the text came from, for error messages. */
  path?: string;
  /**
   * Where the file keeps our fields: `{ problem: "question", answer: "solution" }` reads `problem`
   * from the file's `question` (`--field problem=question`).
   */
  fields?: Readonly<Partial<Record<ProblemField, string>>>;
}

/** The fields every problem has. */
export type ProblemField = "id" | "problem" | "answer";

const REQUIRED = ["problem", "answer"] as const;

/**
 * `["problem=question", "answer=solution"]` (the `--field` flag) as a mapping of our fields to the
 * file's; throws on anything else.
 */
export function parseFieldMapping(
  specs: readonly string[],
): Partial<Record<ProblemField, string>> {
  const out: Partial<Record<ProblemField, string>> = {};
  for (const spec of specs) {
    const [ours, theirs] = spec.split("=").map((s) => s.trim());
    if (!(ours === "id" || ours === "problem" || ours === "answer") || !theirs) {
      throw new RangeError(
        `Cannot read field mapping "${spec}": expected id=NAME, problem=NAME or answer=NAME (--field)`,
      );
    }
    out[ours] = theirs;
  }
  return out;
}

/**
 * Parses JSONL text into problems, all or nothing: the first bad row (bad JSON, a missing or
 * empty field, a wrong type, a duplicate id) throws with its line number and field, and no
 * problem is returned. A row without an id gets `<dataset>-<line>`; fields other than
 * id/problem/answer go to `metadata`.
 */
export function parseProblems(text: string, options: ParseProblemsOptions): Problem[] {
  const rows: { n: number; row: unknown }[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    try {
      rows.push({ n: i + 1, row: JSON.parse(line) });
    } catch (error) {
      rowError(options, "line", i + 1, `is not valid JSON: ${(error as Error).message}`);
    }
  }
  return problemsFromRows(rows, { ...options, unit: "line" });
}

/**
 * Problems from parsed rows (JSONL lines, Parquet rows), validated as {@linkcode parseProblems}
 * does; `unit` names a row's position in messages ("line 17", "row 17").
 */
export function problemsFromRows(
  rows: readonly { n: number; row: unknown }[],
  options: ParseProblemsOptions & { unit: "line" | "row" },
): Problem[] {
  const fields = { id: "id", problem: "problem", answer: "answer", ...options.fields };
  const fail = (n: number, why: string): never => rowError(options, options.unit, n, why);
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  for (const { n, row } of rows) {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      fail(n, "is not a JSON object");
    }
    const record = row as Record<string, unknown>;
    for (const field of REQUIRED) {
      const name = fields[field];
      const value = record[name];
      if (value === undefined || value === null) fail(n, `has no "${name}" field`);
      const ok = typeof value === "string" ||
        (field !== "problem" && typeof value === "number" && Number.isFinite(value));
      if (!ok) {
        fail(n, `has a "${name}" of type ${typeName(value)}, expected a string`);
      }
      if (String(value).trim() === "") fail(n, `has an empty "${name}" field`);
    }
    const rawId = record[fields.id];
    if (rawId !== undefined && rawId !== null && String(rawId).trim() === "") {
      fail(n, `has an empty "${fields.id}" field`);
    }
    const id = rawId === undefined || rawId === null ? `${options.dataset}-${n}` : String(rawId);
    const first = seen.get(id);
    if (first !== undefined) fail(n, `repeats id "${id}" of ${options.unit} ${first}`);
    seen.set(id, n);
    const metadata = { ...record };
    for (const name of Object.values(fields)) delete metadata[name];
    problems.push({
      id,
      problem: record[fields.problem] as string,
      answer: String(record[fields.answer]),
      source: options.dataset,
      metadata,
    });
  }
  if (problems.length === 0) {
    const where = options.path ? ` (${options.path})` : "";
    throw new SyntaxError(`Cannot load dataset "${options.dataset}": the file has no rows${where}`);
  }
  return problems;
}

function rowError(
  options: ParseProblemsOptions,
  unit: string,
  n: number,
  why: string,
): never {
  const where = options.path ? ` (${options.path})` : "";
  throw new SyntaxError(`Cannot load dataset "${options.dataset}": ${unit} ${n} ${why}${where}`);
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return "array";
  return typeof value;
}
