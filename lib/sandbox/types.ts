import type { Language } from "./languages.ts";

/** How an execution ended. */
export type ExecStatus = "ok" | "error" | "timeout" | "killed" | "limit";

/** The result of one code cell. */
export interface ExecResult {
  status: ExecStatus;
  stdout: string;
  stderr: string;
  /** The error as the language prints its last line (`NameError: name 'x' is not defined`). */
  error: string | null;
  durationMs: number;
  /** Output was cut at the cap (a marker ends the text). */
  truncated: boolean;
  /**
   * The text the model is shown for this cell, where the executor semantics format it themselves
   * (`qwen`: the result, else the error report, cut their way); absent: stdout and error.
   */
  output?: string;
}

/** Options of one execution. */
export interface ExecOptions {
  language?: Language;
  /** Cells of one session share globals, like a notebook kernel; absent = a fresh namespace. */
  session?: string;
  /** Wall time before the worker is killed; status "timeout". */
  timeoutMs?: number;
}

/** The marker appended to output cut at the cap. */
export const TRUNCATION_MARKER = "\n…[output truncated]";
