export { formatTable } from "../../lib/report/format_table.ts";

/** What one benchmark reports: rows of a readable table, and its figures keyed with their unit. */
export interface BenchResult {
  /** First row is the header. */
  table: (string | number)[][];
  /** Figures for scripts, keys naming the unit, e.g. `{ "appender_rows_per_s": 412000 }`. */
  figures: Record<string, number | string>;
  /** Free-text lines printed under the table (machine, baseline, caveats). */
  notes?: string[];
}

/** A benchmark: measured side by side against its named baseline in one run. */
export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<BenchResult>;
}

/** Defines a benchmark; the identity function, for type checking. */
export function defineBench(bench: Benchmark): Benchmark {
  return bench;
}

/** Median and tail of a list of durations. */
export function percentiles(values: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return { p50: at(0.5), p99: at(0.99), mean };
}
