import { dirname, extname } from "node:path";
import type { Store } from "./store.ts";

/** File formats DuckDB's COPY writes for us. */
export type ExportFormat = "jsonl" | "parquet" | "csv";

/** Options of {@linkcode exportQuery}. */
export interface ExportOptions {
  /** Format; guessed from the file extension when absent. */
  format?: ExportFormat;
}

/**
 * Exports a table name or a SELECT query to JSONL, Parquet or CSV with DuckDB's COPY.
 * Returns the number of rows written.
 */
export async function exportQuery(
  store: Store,
  tableOrQuery: string,
  path: string,
  options: ExportOptions = {},
): Promise<number> {
  const format = options.format ?? formatFromPath(path);
  const source = /^\s*(select|with|from)\b/i.test(tableOrQuery)
    ? `(${tableOrQuery})`
    : quoteIdentifier(tableOrQuery);
  const copyFormat = format === "jsonl"
    ? "FORMAT json"
    : format === "parquet"
    ? "FORMAT parquet, COMPRESSION zstd"
    : "FORMAT csv, HEADER true";
  await Deno.mkdir(dirname(path), { recursive: true });
  try {
    const reader = await store.connection.runAndReadAll(
      `COPY ${source} TO '${path.replaceAll("'", "''")}' (${copyFormat})`,
    );
    const rows = reader.getRowsJson();
    return Number(rows[0]?.[0] ?? 0);
  } catch (error) {
    throw new Error(
      `Cannot export ${tableOrQuery.slice(0, 60)}: ${
        (error as Error).message.split("\n")[0]
      } (${path})`,
    );
  }
}

function formatFromPath(path: string): ExportFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".parquet") return "parquet";
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl" || ext === ".json" || ext === ".ndjson") return "jsonl";
  throw new TypeError(
    `Cannot export: unknown file extension "${ext}", use .jsonl, .parquet or .csv (${path})`,
  );
}

function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) {
    throw new TypeError(`Cannot export: "${name}" is neither a table name nor a SELECT query`);
  }
  return name.split(".").map((part) => `"${part}"`).join(".");
}
