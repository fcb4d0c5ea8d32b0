/** A cell of a text table: strings left-aligned, numbers right-aligned and grouped. */
export type TableCell = string | number;

/**
 * Renders rows as an aligned text table; the first row is the header.
 *
 * @example
 * ```ts
 * import { formatTable } from "./format_table.ts";
 * const text = formatTable([["name", "rows/s"], ["appender", 41000]]);
 * if (!text.includes("41,000")) throw new Error("numbers are grouped");
 * ```
 */
export function formatTable(rows: readonly (readonly TableCell[])[]): string {
  const cells = rows.map((row) => row.map((c) => (typeof c === "number" ? formatNumber(c) : c)));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (row: string[], numeric: boolean[]) =>
    row.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ")
      .trimEnd();
  const out = [line(cells[0], cells[0].map(() => false))];
  out.push(widths.map((w) => "-".repeat(w)).join("  "));
  for (let r = 1; r < rows.length; r++) {
    out.push(line(cells[r], rows[r].map((c) => typeof c === "number")));
  }
  return out.join("\n");
}

/** Formats a number for a table: integers grouped, others with 2-4 significant decimals. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  const abs = Math.abs(n);
  return n.toLocaleString("en-US", { maximumFractionDigits: abs >= 100 ? 0 : abs >= 1 ? 2 : 4 });
}
