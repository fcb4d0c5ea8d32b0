/** Severity of a log line; `quiet` keeps only warnings and errors. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A small leveled logger writing one line per message to a stream (stderr by default). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Options of {@linkcode createLogger}. */
export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; injectable for tests. */
  write?: (line: string) => void;
}

/** Creates a logger that prefixes each line with its level when not `info`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? "info"];
  const encoder = new TextEncoder();
  const write = options.write ?? ((line: string) => Deno.stderr.writeSync(encoder.encode(line)));
  const at = (level: LogLevel) => (message: string) => {
    if (ORDER[level] < min) return;
    write(level === "info" ? `${message}\n` : `${level}: ${message}\n`);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
