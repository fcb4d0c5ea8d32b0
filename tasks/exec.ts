import { z } from "zod";
import { createSandbox } from "../lib/sandbox/mod.ts";
import { defineTask } from "../lib/task/mod.ts";

/** `deno task exec`: run one code cell in the sandbox and print the result as one JSON line. */
export const exec = defineTask({
  name: "exec",
  description: "Run code (stdin or --code) in the sandbox; print the result as one JSON line.",
  args: z.object({
    code: z.string().optional().describe("code to run (default: read stdin)"),
    lang: z.enum(["python", "javascript"]).default("python").describe("language"),
    timeoutMs: z.number().int().positive().default(5000).describe("wall time before the kill"),
    outputCap: z.number().int().positive().default(400).describe("characters of output kept"),
    pythonPackages: z.string().optional().describe("folder with pure-Python sympy and mpmath"),
  }),
  async run(args, ctx) {
    const code = args.code ?? await new Response(Deno.stdin.readable).text();
    const sandbox = createSandbox({
      workers: 1,
      outputCap: args.outputCap,
      pythonPackages: args.pythonPackages,
    });
    try {
      const result = await sandbox.exec(code, { language: args.lang, timeoutMs: args.timeoutMs });
      ctx.print(JSON.stringify(result));
    } finally {
      await sandbox.close();
    }
  },
});
