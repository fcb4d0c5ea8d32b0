import { withDefaults } from "../task/with_defaults.ts";
import { denoLaunch } from "./_deno_launch.ts";
import { planSnapshot } from "./_snapshot_cache.ts";
import { findPythonPackages, pyodideFolder, pyodideVersion } from "./python_packages.ts";
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
  /**
   * Memory cap in MiB: of a session's JS heap and of its WASM memory while a cell runs, of what a
   * session keeps between cells (ArrayBuffers included), and of how far a running cell may raise
   * its worker process's resident memory.
   */
  memoryMiB?: number;
  recursionLimit?: number;
  /** Folder with pure-Python sympy and mpmath; Debian's dist-packages when absent. */
  pythonPackages?: string;
  /** Import sympy into the snapshot every Python session starts from (no cell pays for it). */
  prewarm?: boolean;
  /** Run every cell in a fresh interpreter, ignoring sessions. */
  stateless?: boolean;
  /** Session interpreters each worker keeps started ahead of need. */
  spares?: number;
}

/** Defaults of {@linkcode SandboxOptions}. */
export const sandboxDefaults = {
  workers: navigator.hardwareConcurrency || 2,
  timeoutMs: 5000,
  outputCap: 400,
  memoryMiB: 1024,
  recursionLimit: 1000,
  prewarm: false,
  stateless: false,
  spares: 2,
};

/** A pool of sandboxed worker processes for model-written code. */
export interface Sandbox {
  /** Starts the workers of a language now (they start on first use otherwise). */
  start(language?: Language): Promise<void>;
  /** Runs one cell; cells of a session share an interpreter of their own and run in order. */
  exec(code: string, options?: ExecOptions): Promise<ExecResult>;
  /** Ends a session: its interpreter is discarded. */
  endSession(session: string): void;
  /** Process ids of the live workers (for memory readings and tests). */
  pids(language?: Language): number[];
  /** Workers replaced after a crash, kill or memory cap. */
  readonly stats: { execs: number; replaced: number };
  close(): Promise<void>;
}

/**
 * Creates the pool: N worker processes per language, each a Deno subprocess with the fewest
 * permissions that work (Python: read the Pyodide and package folders; JavaScript: none) and no
 * import that leaves it. Inside a worker every session has an interpreter of its own, in an
 * isolate no other session can reach; a cell without a session gets a fresh one. A session is
 * pinned to one worker; a worker that crashes or is killed is replaced at once, so the pool never
 * shrinks and never hangs.
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
      launch: async (dir, socket) => {
        const python = language === "python" ? await pythonSettings() : undefined;
        const launch = denoLaunch({
          memoryMiB: opts.memoryMiB,
          settings: {
            language,
            spares: opts.spares,
            memoryMiB: opts.memoryMiB,
            readable: python ? [pyodideFolder(), ...(packages ? [packages] : [])] : [],
            python: python?.settings,
          },
        })(dir, socket);
        return python?.keep ? { ...launch, ready: python.keep } : launch;
      },
    });

  /** A Python worker's settings, with the snapshot its sessions start from (see planSnapshot). */
  const pythonSettings = async () => {
    const base = {
      indexPath: `${pyodideFolder()}/`,
      packagesDir: packages,
      prewarm: opts.prewarm && packages ? ["sympy"] : [],
      recursionLimit: opts.recursionLimit,
    };
    const plan = await planSnapshot({ ...base, pyodideVersion: pyodideVersion() });
    return "use" in plan
      ? { settings: { ...base, snapshotPath: plan.use } }
      : { settings: { ...base, snapshotOut: plan.make }, keep: plan.keep };
  };

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
      // Replace a worker that died (crash, memory cap) right away, in the background.
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
      return langs.flatMap((l) => pools[l].filter((w) => !w.dead && w.pid > 0).map((w) => w.pid));
    },
    stats,
    async close() {
      closed = true;
      await Promise.all([...pools.python, ...pools.javascript].map((w) => w.kill()));
    },
  };
}
