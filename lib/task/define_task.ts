import type { z } from "zod";
import type { RunContext } from "./context.ts";

/**
 * A `deno task` entry as data: a name, a one-line description, a zod schema that is the single
 * source of flags, defaults, validation and `--help`, and the function that does the work.
 */
export interface TaskDefinition<S extends z.ZodObject = z.ZodObject> {
  name: string;
  /** One line, shown by `deno task help`. */
  description: string;
  args: S;
  /** Key of an array field in `args` that receives positional arguments. */
  positional?: keyof z.infer<S> & string;
  /** Named sets of flag values, chosen with `--preset NAME` (flags given on the command line win). */
  presets?: Readonly<Record<string, Readonly<Partial<z.input<S>>>>>;
  /** Does the work; a returned number is the exit code. */
  run(args: z.infer<S>, ctx: RunContext): Promise<void | number> | void | number;
}

/**
 * Defines a task. The identity function, there for type inference of `args` in `run`.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { defineTask } from "./define_task.ts";
 * const hello = defineTask({
 *   name: "hello",
 *   description: "Greets someone.",
 *   args: z.object({ who: z.string().default("world").describe("whom to greet") }),
 *   run: (args) => console.log(`hello ${args.who}`),
 * });
 * if (hello.name !== "hello") throw new Error("unreachable");
 * ```
 */
export function defineTask<S extends z.ZodObject>(
  definition: TaskDefinition<S>,
): TaskDefinition<S> {
  return definition;
}
