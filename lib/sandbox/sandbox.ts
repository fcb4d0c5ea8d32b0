import { withDefaults } from "../util/with_defaults.ts";
import { findPythonPackages, pyodideFolder } from "./python_packages.ts";
import type { ExecOptions, ExecResult, Language } from "./types.ts";
import { WorkerProcess } from "./worker_process.ts";

/** Options of {@linkcode createSandbox}. */
export interface SandboxOptions {
  /** Worker processes per language. */
  workers?: number;
  /** Default wall time of a cell. */
  timeoutMs?: number;
  /** Characters of stdout (and of stderr) kept per cell. */
  outputCap?: number;
  /** V8 heap cap per worker in MiB (Pyodide's WASM memory counts against it). */
  heapMiB?: number;
  recursionLimit?: number;
  /** Folder with pure-Python sympy and mpmath; Debian's dist-packages when absent. */
  pythonPackages?: string;
  /** Start the Python workers now and import sympy in each, so no cell pays for it. */
  prewarm?: boolean;
  /** Run every cell in a fresh namespace, ignoring sessions. */
  stateless?: boolean;
}

/** Defaults of {@linkcode SandboxOptions}. */
export const sandboxDefaults = {
  workers: navigator.hardwareConcurrency || 2,
  timeoutMs: 5000,
  outputCap: 400,
  heapMiB: 1024,
  recursionLimit: 1000,
  prewarm: false,
  stateless: false,
};

/** A pool of sandboxed worker processes for model-written code. */
export interface Sandbox {
  /** Starts the workers of a language now (they start on first use otherwise). */
  start(language?: Language): Promise<void>;
  /** Runs one cell; cells of a session share globals and run in order on one worker. */
  exec(code: string, options?: ExecOptions): Promise<ExecResult>;
  /** Frees a session's globals. */
  endSession(session: string): void;
  /** Process ids of the live workers (for memory readings and tests). */
  pids(language?: Language): number[];
  /** Workers replaced after a timeout, crash or kill. */
  readonly stats: { execs: number; replaced: number };
  close(): Promise<void>;
}

/**
 * Creates the pool: N Deno subprocesses per language with the fewest permissions that work
 * (Python: read the Pyodide and package folders only; JavaScript: none). Cells queue when every
 * worker is busy; a session is pinned to one worker. A worker that times out, crashes or is
 * killed is SIGKILLed and replaced at once, so the pool never shrinks and never hangs.
 *
 * @example
 * ```ts
 * import { createSandbox } from "./sandbox.ts";
 * const sandbox = createSandbox({ workers: 1 });
 * const result = await sandbox.exec("console.log(6 * 7)", { language: "javascript" });
 * await sandbox.close();
 * if (result.stdout !== "42\n") throw new Error(result.error ?? "wrong output");
 * ```
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const opts = withDefaults(sandboxDefaults, options);
  const packages = findPythonPackages(options.pythonPackages);
  const pools: Record<Language, WorkerProcess[]> = { python: [], javascript: [] };
  const pinned = new Map<string, WorkerProcess>();
  const stats = { execs: 0, replaced: 0 };
  let closed = false;

  const spawn = (language: Language) =>
    new WorkerProcess({
      language,
      readable: language === "python" ? [pyodideFolder(), ...(packages ? [packages] : [])] : [],
      heapMiB: opts.heapMiB,
      settings: {
        packagesDir: language === "python" ? packages : undefined,
        prewarm: language === "python" && opts.prewarm && packages ? ["sympy"] : [],
        recursionLimit: opts.recursionLimit,
      },
    });

  const pool = (language: Language) => {
    const workers = pools[language];
    if (!closed) {
      for (let i = 0; i < opts.workers; i++) {
        if (!workers[i] || workers[i].dead) {
          if (workers[i]) stats.replaced++;
          workers[i] = spawn(language);
        }
      }
    }
    return workers;
  };

  const pick = (language: Language, session?: string): WorkerProcess => {
    const current = session ? pinned.get(session) : undefined;
    if (current && !current.dead && current.language === language) return current;
    const workers = pool(language);
    const worker = workers.reduce((best, w) => (w.load < best.load ? w : best));
    if (session) pinned.set(session, worker);
    return worker;
  };

  return {
    async start(language = "python") {
      await Promise.all(pool(language).map((w) => w.ready));
    },
    async exec(code, execOptions = {}) {
      if (closed) throw new Error("Cannot execute: the sandbox is closed");
      stats.execs++;
      const language = execOptions.language ?? "python";
      const session = opts.stateless ? undefined : execOptions.session;
      const worker = pick(language, session);
      const result = await worker.exec(code, {
        session,
        timeoutMs: execOptions.timeoutMs ?? opts.timeoutMs,
        outputCap: opts.outputCap,
      });
      // Replace a worker that died (timeout, crash, memory) right away, in the background.
      if (worker.dead && !closed) pool(language);
      return result;
    },
    endSession(session) {
      const worker = pinned.get(session);
      pinned.delete(session);
      worker?.endSession(session);
    },
    pids(language) {
      const langs: Language[] = language ? [language] : ["python", "javascript"];
      return langs.flatMap((l) => pools[l].filter((w) => !w.dead).map((w) => w.pid));
    },
    stats,
    async close() {
      closed = true;
      await Promise.all([...pools.python, ...pools.javascript].map((w) => w.kill()));
    },
  };
}
