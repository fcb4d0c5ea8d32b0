/**
 * The task registry: every `deno task` entry that runs through tasks/main.ts.
 *
 * @module
 */
import type { TaskDefinition } from "../lib/task/mod.ts";
import { curate } from "./curate.ts";
import { evalTask } from "./eval.ts";
import { demo } from "./demo.ts";
import { exec } from "./exec.ts";
import { exportTask } from "./export.ts";
import { generate } from "./generate.ts";
import { grade } from "./grade.ts";
import { help } from "./help.ts";
import { report } from "./report.ts";
import { trainTask } from "./train.ts";
import { serve } from "./serve.ts";

/** All registered tasks, in the order `deno task help` lists them. */
export const tasks: TaskDefinition[] = [
  help,
  demo,
  evalTask,
  curate,
  trainTask,
  exportTask,
  report,
  grade,
  exec,
  serve,
  generate,
] as unknown as TaskDefinition[];
