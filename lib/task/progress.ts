import cliProgress from "cli-progress";

/** A progress reporter for one long loop: done/total, rate, ETA and one running metric. */
export interface Progress {
  /** Counts `n` more items done, and updates the running metric when given. */
  tick(n?: number, metric?: Record<string, number | string>): void;
  /** Sets the total when it becomes known (or changes after a resume). */
  setTotal(total: number): void;
  /** Stops the bar and leaves the last state on screen. */
  stop(): void;
}

/** Options of {@linkcode createProgress}. */
export interface ProgressOptions {
  /** Name shown before the bar. */
  label: string;
  /** Items already done before this process started (resumed work). */
  done?: number;
  /** Whether stderr is a terminal; when false a plain line is printed every `plainEveryMs`. */
  tty?: boolean;
  /** Interval between plain lines when stderr is not a terminal. */
  plainEveryMs?: number;
  /** Disables all output (tests, --quiet). */
  silent?: boolean;
  /** Stream to draw on; defaults to process.stderr. */
  stream?: NodeJS.WritableStream;
}

/**
 * Creates a progress reporter on stderr with cli-progress: a redrawn bar on a TTY, or a plain line
 * every few seconds when stderr is piped to a file or CI log.
 */
export function createProgress(total: number, options: ProgressOptions): Progress {
  if (options.silent) return { tick() {}, setTotal() {}, stop() {} };
  const tty = options.tty ?? Deno.stderr.isTerminal();
  const bar = new cliProgress.SingleBar({
    format: `${options.label} {bar} {value}/{total} | {rate}/s | ETA {eta_formatted} | {metric}`,
    barsize: 24,
    hideCursor: tty,
    noTTYOutput: !tty,
    notTTYSchedule: options.plainEveryMs ?? 5000,
    etaBuffer: 50,
    fps: 5,
    stream: options.stream,
  }, cliProgress.Presets.shades_classic);
  const started = performance.now();
  const startDone = options.done ?? 0;
  let done = startDone;
  let metric = "";
  bar.start(total, done, { rate: "0.0", metric });
  return {
    tick(n = 1, values) {
      done += n;
      if (values) {
        metric = Object.entries(values)
          .map(([k, v]) => `${k} ${typeof v === "number" ? formatMetric(v) : v}`)
          .join(" ");
      }
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? (done - startDone) / seconds : 0;
      bar.update(done, { rate: rate.toFixed(rate < 10 ? 2 : 1), metric });
    },
    setTotal(n) {
      bar.setTotal(n);
    },
    stop() {
      bar.stop();
    },
  };
}

function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
