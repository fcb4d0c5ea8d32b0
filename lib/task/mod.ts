/**
 * Typed task definitions: a zod schema is the single source of a task's flags, defaults,
 * validation and `--help`; the runner parses argv with `node:util` parseArgs, merges `--config`,
 * and gives the run a context with a logger, progress bars and an abort signal.
 *
 * @module
 */
export * from "./define_task.ts";
export * from "./context.ts";
export * from "./errors.ts";
export * from "./logger.ts";
export * from "./parse_args.ts";
export * from "./progress.ts";
export * from "./render_help.ts";
export * from "./run_task.ts";
export { type FieldSpec, fieldSpecs, toFlag, toKey } from "./schema_fields.ts";
