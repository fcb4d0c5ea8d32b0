import { DuckDBDataChunk, type DuckDBValue } from "@duckdb/node-api";
import type { Store } from "./store.ts";

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/** Where {@linkcode appendChunks} writes and how a row becomes the table's columns. */
export interface AppendChunksOptions<T> {
  table: string;
  /** `temp` for a temporary table; the database's own catalog when left out. */
  catalog?: string;
  /** One getter per table column, in the table's order. */
  columns: readonly ((row: T) => DuckDBValue)[];
}

/**
 * Appends `rows` to a table through one Appender, a data chunk at a time, and commits them with
 * its flush. Numbers and lists reach DuckDB as one copy per column and chunk, not one native call
 * per value as with the row-wise `append*` methods: for rows carrying a few hundred token ids and
 * log-probs that is the difference between ~55 and ~20,000 rows/s.
 */
export async function appendChunks<T>(
  store: Store,
  rows: readonly T[],
  options: AppendChunksOptions<T>,
): Promise<void> {
  const appender = await store.connection.createAppender(
    options.table,
    options.catalog ? "main" : null,
    options.catalog ?? null,
  );
  try {
    const types = options.columns.map((_, c) => appender.columnType(c));
    for (let at = 0; at < rows.length; at += CHUNK_ROWS) {
      const part = rows.slice(at, at + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(types, part.length);
      options.columns.forEach((get, c) => chunk.setColumnValues(c, part.map(get)));
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
