/**
 * A command line the task cannot run with: an unknown flag, a value of the wrong type, a bad
 * config file. Task entry points turn it into a one-line message and exit code 2.
 */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Formats an unknown thrown value as one line in the project's message style. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
