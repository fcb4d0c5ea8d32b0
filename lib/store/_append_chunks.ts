import { type DuckDBAppender, DuckDBDataChunk, type DuckDBValue } from "@duckdb/node-api";

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/**
 * Appends `rows` through `appender` a data chunk at a time, one getter per table column in
 * order. Numbers and lists reach DuckDB as one copy per column and chunk, not one native call
 * per value as with the row-wise `append*` methods: for rows carrying a few hundred token ids
 * and log-probs that is the difference between ~55 and ~20,000 rows/s.
 */
export function appendChunks<T>(
  appender: DuckDBAppender,
  rows: readonly T[],
  columns: readonly ((row: T) => DuckDBValue)[],
): void {
  const types = columns.map((_, c) => appender.columnType(c));
  for (let at = 0; at < rows.length; at += CHUNK_ROWS) {
    const part = rows.slice(at, at + CHUNK_ROWS);
    const chunk = DuckDBDataChunk.create(types, part.length);
    columns.forEach((get, c) => chunk.setColumnValues(c, part.map(get)));
    appender.appendDataChunk(chunk);
  }
}
