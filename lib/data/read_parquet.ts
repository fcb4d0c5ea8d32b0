import { DuckDBInstance } from "@duckdb/node-api";

/**
 * The rows of a Parquet file as plain objects (numbered from 1), read with an in-memory DuckDB
 * in DuckDB's JSON form (BIGINTs and decimals as strings, lists as arrays).
 */
export async function readParquetRows(path: string): Promise<{ n: number; row: unknown }[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      "SELECT * FROM read_parquet($1)",
      [path],
    );
    return reader.getRowObjectsJson().map((row, i) => ({ n: i + 1, row }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
