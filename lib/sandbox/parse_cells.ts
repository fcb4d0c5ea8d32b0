import { LANGUAGES } from "./languages.ts";
import { z } from "zod";

/** One cell of a cells file: code, its language, and the session it runs in (absent: none). */
export const cellSchema = z.strictObject({
  session: z.string().min(1).optional(),
  lang: z.enum(LANGUAGES).optional(),
  code: z.string(),
});

/** A cell as {@linkcode parseCells} returns it, with its line in the file. */
export type Cell = z.infer<typeof cellSchema> & { line: number };

/**
 * Parses a JSONL file of `{session, lang, code}` cells, all or nothing: the first bad line
 * throws with its number and what is wrong, and no cell is returned.
 *
 * @example
 * ```ts
 * import { parseCells } from "./parse_cells.ts";
 * const cells = parseCells('{"session": "a", "code": "x = 1"}\n{"session": "a", "code": "x"}\n');
 * if (cells.length !== 2 || cells[1].line !== 2) throw new Error("wrong parse");
 * ```
 */
export function parseCells(text: string, path = "cells"): Cell[] {
  const cells: Cell[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const fail = (why: string): never => {
      throw new SyntaxError(`Cannot read cells: line ${i + 1} ${why} (${path})`);
    };
    let row: unknown;
    try {
      row = JSON.parse(lines[i]);
    } catch (error) {
      fail(`is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = cellSchema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.length ? `"${issue.path.join(".")}": ` : "";
      fail(`is not a {session, lang, code} cell: ${field}${issue.message}`);
    }
    cells.push({ ...parsed.data!, line: i + 1 });
  }
  if (cells.length === 0) {
    throw new SyntaxError(`Cannot read cells: the file has no cells (${path})`);
  }
  return cells;
}
