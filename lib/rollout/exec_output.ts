import type { ExecResult } from "../sandbox/types.ts";

/**
 * The text shown to the model after a cell ran, as a notebook shows it: stdout, then the error's
 * last line on failure (`NameError: name 'x' is not defined`), or a note on timeout or limits.
 */
export function execOutputText(result: ExecResult): string {
  if (result.output !== undefined) return result.output;
  const out = result.stdout;
  switch (result.status) {
    case "ok":
      return out;
    case "error":
      return joinLines(out, result.error || result.stderr.trim().split("\n").at(-1) || "Error");
    case "timeout":
      return joinLines(out, `TimeoutError: execution exceeded ${Math.round(result.durationMs)} ms`);
    case "limit":
      return joinLines(out, result.error || "MemoryError: memory limit exceeded");
    case "killed":
      return joinLines(out, result.error || "Error: the execution was killed");
  }
}

function joinLines(a: string, b: string): string {
  if (!a) return b;
  return a.endsWith("\n") ? a + b : `${a}\n${b}`;
}
