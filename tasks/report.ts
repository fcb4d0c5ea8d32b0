import { dirname } from "node:path";
import { z } from "zod";
import { buildReport } from "../lib/report/mod.ts";
import { DEFAULT_DB_PATH } from "../lib/store/mod.ts";
import { defineTask } from "../lib/task/mod.ts";

/** `deno task report`: a self-contained HTML report of one or more runs. */
export const report = defineTask({
  name: "report",
  description:
    "Write a self-contained HTML report (tables, inline SVG charts) of one or more runs.",
  args: z.object({
    db: z.string().default(DEFAULT_DB_PATH).describe("DuckDB store file"),
    run: z.array(z.string()).default([]).describe(
      "run id to report (repeatable); default: the latest finished run",
    ),
    out: z.string().optional().describe("HTML file to write (default: runs/report-<run>.html)"),
    title: z.string().default("tocode report").describe("page title"),
  }),
  async run(args, ctx) {
    try {
      await Deno.stat(args.db);
    } catch {
      throw new Error(`Cannot build report: no store at ${args.db} (--db)`);
    }
    const store = await ctx.store(args.db);
    let runs = args.run;
    if (runs.length === 0) {
      const latest = await store.query<{ id: string }>(
        `SELECT id FROM runs WHERE NOT contains(id, '/') AND status = 'finished'
         ORDER BY finished_at DESC LIMIT 1`,
      );
      if (latest.length === 0) {
        throw new Error(`Cannot build report: the store has no finished run (${args.db})`);
      }
      runs = [latest[0].id];
      ctx.log.info(`reporting run ${runs[0]}, the latest finished (--run picks another)`);
    }
    const html = await buildReport(store, runs, { title: args.title });
    const out = args.out ?? `${dirname(args.db)}/report-${runs[0].replaceAll("/", "_")}.html`;
    await Deno.mkdir(dirname(out), { recursive: true });
    await Deno.writeTextFile(out, html);
    ctx.print(out);
  },
});
