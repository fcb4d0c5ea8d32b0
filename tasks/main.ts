/**
 * Entry point of every `deno task` that runs a registered task: `deno run … tasks/main.ts NAME …`.
 *
 * @module
 */
import { runTask } from "../lib/task/mod.ts";
import { tasks } from "./mod.ts";

if (import.meta.main) {
  // `deno task` runs in the repository's folder; paths on the command line mean the folder the
  // user typed the command in.
  const initCwd = Deno.env.get("INIT_CWD");
  if (initCwd) Deno.chdir(initCwd);
  const [name, ...argv] = Deno.args;
  const task = tasks.find((t) => t.name === name);
  if (!task) {
    console.error(`Cannot run task "${name ?? ""}": no such task (deno task help lists them)`);
    Deno.exit(2);
  }
  Deno.exit(await runTask(task, argv));
}
