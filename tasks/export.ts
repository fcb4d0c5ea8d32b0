import { z } from "zod";
import { DEFAULT_DB_PATH, exportQuery } from "../lib/store/mod.ts";
import { defineTask } from "../lib/task/mod.ts";

/** `deno task export`: a table or query of the store to JSONL, Parquet or CSV. */
export const exportTask = defineTask({
  name: "export",
  description: "Export a store table or SELECT query to JSONL, Parquet or CSV.",
  args: z.object({
    db: z.string().default(DEFAULT_DB_PATH).describe("DuckDB store file"),
    query: z.string().describe("table name (e.g. rollouts) or a SELECT query"),
    out: z.string().describe("output file; the format follows the extension"),
    format: z.enum(["jsonl", "parquet", "csv"]).optional().describe(
      "format, when the extension does not say",
    ),
  }),
  async run(args, ctx) {
    try {
      await Deno.stat(args.db);
    } catch {
      throw new Error(`Cannot export: no store at ${args.db} (--db)`);
    }
    const store = await ctx.store(args.db);
    const rows = await exportQuery(store, args.query, args.out, { format: args.format });
    ctx.print(JSON.stringify({ out: args.out, rows }));
  },
});
