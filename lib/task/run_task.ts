import type { TaskDefinition } from "./define_task.ts";
import { createRunContext } from "./context.ts";
import { errorMessage, UsageError } from "./errors.ts";
import { parseTaskArgs } from "./parse_args.ts";
import { renderHelp } from "./render_help.ts";

/** Exit code for a command line that cannot run (unknown flag, invalid value). */
export const EXIT_USAGE = 2;
/** Exit code when the run stopped on Ctrl-C with finished work kept (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/**
 * Runs a task from argv and returns the exit code: parses and validates arguments (exit 2 with a
 * one-line message on bad input), prints `--help`, wires Ctrl-C to the context's abort signal
 * (a second Ctrl-C exits at once), and turns a thrown error into one line on stderr and exit 1.
 */
export async function runTask(task: TaskDefinition, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseTaskArgs(task.args, argv, {
      positional: task.positional,
      presets: task.presets,
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${task.name}: ${error.message}`);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    console.log(renderHelp(task, { positional: task.positional, preset: parsed.preset }));
    return 0;
  }
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) Deno.exit(EXIT_INTERRUPTED);
    console.error(`\n${task.name}: stopping after the work in flight (Ctrl-C again to quit now)`);
    controller.abort(new DOMException("interrupted", "AbortError"));
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const ctx = createRunContext({ signal: controller.signal });
  try {
    const code = await task.run(parsed.args, ctx);
    if (controller.signal.aborted) return EXIT_INTERRUPTED;
    return typeof code === "number" ? code : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${task.name}: ${error.message}`);
      return EXIT_USAGE;
    }
    console.error(`${task.name}: ${errorMessage(error)}`);
    if (Deno.env.get("TOCODE_DEBUG")) console.error(error);
    return 1;
  } finally {
    await ctx.close();
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
}
