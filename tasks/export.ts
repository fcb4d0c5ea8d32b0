import { z } from "zod";
import { EXPORT_SCHEMAS, exportRun } from "../lib/curate/mod.ts";
import { DEFAULT_DB_PATH, exportQuery } from "../lib/store/mod.ts";
import { defineTask, UsageError } from "../lib/task/mod.ts";

/** `deno task export`: a table or query of the store, or a run in a trainer's schema. */
export const exportTask = defineTask({
  name: "export",
  description:
    "Export a store table or SELECT query, or a run's training data in a trainer's schema (docs/export.md).",
  args: z.object({
    db: z.string().default(DEFAULT_DB_PATH).describe("DuckDB store file"),
    query: z.string().optional().describe("table name (e.g. rollouts) or a SELECT query"),
    run: z.string().optional().describe(
      "an eval or curate run: its right answers, or its curated set, in --schema",
    ),
    schema: z.enum(EXPORT_SCHEMAS).default("tocode").describe("schema of --run"),
    out: z.string().describe("output file; the format follows the extension"),
    format: z.enum(["jsonl", "parquet", "csv"]).optional().describe(
      "format, when the extension does not say",
    ),
  }),
  async run(args, ctx) {
    if ((args.query === undefined) === (args.run === undefined)) {
      throw new UsageError("Cannot parse arguments: give either --query or --run");
    }
    try {
      await Deno.stat(args.db);
    } catch {
      throw new Error(`Cannot export: no store at ${args.db} (--db)`);
    }
    const store = await ctx.store(args.db);
    if (args.query !== undefined) {
      const rows = await exportQuery(store, args.query, args.out, { format: args.format });
      ctx.print(JSON.stringify({ out: args.out, rows }));
      return;
    }
    const rows = await exportRun(store, args.run!, args.out, {
      schema: args.schema,
      format: args.format,
    });
    if (rows === 0) {
      await Deno.remove(args.out);
      throw new Error(
        `Cannot export run "${args.run}" as ${args.schema}: it has no row to export (no successful sample, or an empty curated set) (${args.out})`,
      );
    }
    ctx.print(JSON.stringify({ out: args.out, run: args.run, schema: args.schema, rows }));
  },
});
