import { z } from "zod";
import {
  type Cell,
  createSandbox,
  LANGUAGES,
  parseCells,
  sandboxOptionsSchema,
} from "../lib/sandbox/mod.ts";
import { defineTask, UsageError } from "../lib/task/mod.ts";

/**
 * `deno task exec`: run one code cell in the sandbox and print the result as one JSON line, or a
 * JSONL file of cells in order on one pool, one result line per cell.
 */
export const exec = defineTask({
  name: "exec",
  description:
    "Run code (stdin, --code or a --cells file) in the sandbox; print one JSON result line per cell.",
  args: z.object({
    code: z.string().optional().describe("code to run (default: read stdin)"),
    cells: z.string().optional().describe(
      "JSONL file of {session, lang, code} cells, run in order on one pool",
    ),
    lang: z.enum(LANGUAGES).default("python").describe(
      "language (of cells that name none)",
    ),
    workers: z.number().int().positive().default(1).describe("worker processes per language"),
    timeoutMs: z.number().int().positive().default(5000).describe("wall time before the kill"),
    outputCap: z.number().int().positive().default(400).describe("characters of output kept"),
    pythonPackages: z.string().optional().describe("folder with pure-Python sympy and mpmath"),
    ...sandboxOptionsSchema.shape,
  }),
  async run(args, ctx) {
    if (args.cells && args.code) {
      throw new UsageError("Cannot parse arguments: --cells and --code exclude each other");
    }
    const cells: Cell[] = args.cells
      ? parseCells(await Deno.readTextFile(args.cells), args.cells)
      : [{ line: 1, code: args.code ?? await new Response(Deno.stdin.readable).text() }];
    const sandbox = createSandbox({
      backend: args.sandbox,
      python: args.python,
      execSemantics: args.execSemantics,
      workers: args.workers,
      outputCap: args.outputCap,
      pythonPackages: args.pythonPackages,
    });
    try {
      for (const cell of cells) {
        const lang = cell.lang ?? args.lang;
        const result = await sandbox.exec(cell.code, {
          language: lang,
          session: cell.session,
          timeoutMs: args.timeoutMs,
        });
        const line = args.cells
          ? { line: cell.line, session: cell.session, lang, ...result }
          : result;
        ctx.print(JSON.stringify(line));
      }
    } finally {
      await sandbox.close();
    }
  },
});
