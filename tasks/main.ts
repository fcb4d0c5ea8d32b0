/**
 * Entry point of every `deno task` that runs a registered task: `deno run … tasks/main.ts NAME …`.
 *
 * @module
 */
import { runTask } from "../lib/task/mod.ts";
import { tasks } from "./mod.ts";

if (import.meta.main) {
  const [name, ...argv] = Deno.args;
  const task = tasks.find((t) => t.name === name);
  if (!task) {
    console.error(`Cannot run task "${name ?? ""}": no such task (deno task help lists them)`);
    Deno.exit(2);
  }
  Deno.exit(await runTask(task, argv));
}
