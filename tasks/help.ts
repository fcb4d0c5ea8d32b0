import { z } from "zod";
import { defineTask } from "../lib/task/mod.ts";
import { tasks } from "./mod.ts";

/** `deno task help`: lists every task with its one-line description. */
export const help = defineTask({
  name: "help",
  description: "List every task with its one-line description.",
  args: z.object({}),
  run(_args, ctx) {
    const width = Math.max(...tasks.map((t) => t.name.length));
    ctx.print("Usage: deno task <name> [flags]   (deno task <name> --help for its flags)\n");
    for (const task of tasks) ctx.print(`  ${task.name.padEnd(width)}  ${task.description}`);
  },
});
