import { join } from "node:path";
import { type ExportFormat, exportQuery } from "../../store/export.ts";
import type { Store } from "../../store/store.ts";

/** Column name → DuckDB type, in file order: the layout a schema promises its framework. */
export type Columns = Readonly<Record<string, string>>;

/**
 * Writes rows to JSONL, Parquet or CSV with exactly the given column types: the rows go through
 * DuckDB's JSON reader with these types, so nesting and types are the schema's whatever the rows
 * hold (a field a row lacks is NULL), and a row that does not fit them is an error, not a guess.
 * Returns the number of rows written.
 */
export async function writeRows(
  store: Store,
  rows: readonly Record<string, unknown>[],
  path: string,
  options: { columns: Columns; format?: ExportFormat },
): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "tocode-export-rows-" });
  try {
    const staged = join(dir, "rows.jsonl");
    const file = await Deno.open(staged, { write: true, create: true });
    const writer = file.writable.getWriter();
    const encoder = new TextEncoder();
    for (const row of rows) await writer.write(encoder.encode(JSON.stringify(row) + "\n"));
    await writer.close();
    const names = Object.keys(options.columns);
    const types = names.map((name) => `${quoteName(name)}: '${options.columns[name]}'`).join(", ");
    const select = `SELECT ${names.map(quoteName).join(", ")} FROM read_json('${
      staged.replaceAll("'", "''")
    }', format = 'newline_delimited', columns = {${types}}, maximum_object_size = 1073741824)`;
    return await exportQuery(store, select, path, { format: options.format });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
