import { openStore, type Store } from "../store/store.ts";
import { createLogger, type Logger, type LogLevel } from "./logger.ts";
import { createProgress, type Progress, type ProgressOptions } from "./progress.ts";

/** What a task's run function gets besides its arguments. */
export interface RunContext {
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM: stop starting new work, flush, return. */
  signal: AbortSignal;
  log: Logger;
  /** Starts a progress reporter on stderr for a loop of `total` items. */
  progress(total: number, options: ProgressOptions): Progress;
  /** Writes one line to stdout (results for people and scripts; logs go to stderr). */
  print(line: string): void;
  /** Opens the run's store (once per path); the runner closes it when the task returns. */
  store(path: string): Promise<Store>;
  /** Closes every store the task opened. */
  close(): Promise<void>;
}

/** Options of {@linkcode createRunContext}. */
export interface RunContextOptions {
  level?: LogLevel;
  /** Silences progress bars (tests, scripts). */
  quiet?: boolean;
  signal?: AbortSignal;
}

/** Creates a run context; signals are wired by the task runner, not here. */
export function createRunContext(options: RunContextOptions = {}): RunContext {
  const encoder = new TextEncoder();
  const stores = new Map<string, Promise<Store>>();
  return {
    signal: options.signal ?? new AbortController().signal,
    log: createLogger({ level: options.level }),
    progress: (total, progressOptions) =>
      createProgress(total, { silent: options.quiet, ...progressOptions }),
    print: (line) => Deno.stdout.writeSync(encoder.encode(`${line}\n`)),
    store(path) {
      let store = stores.get(path);
      if (!store) {
        store = openStore(path);
        stores.set(path, store);
      }
      return store;
    },
    async close() {
      for (const store of stores.values()) {
        try {
          (await store).close();
        } catch {
          // A store that failed to open has nothing to close.
        }
      }
      stores.clear();
    },
  };
}
