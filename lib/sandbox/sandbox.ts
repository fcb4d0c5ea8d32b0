import { withDefaults } from "../util/with_defaults.ts";
import { denoLaunch } from "./_deno_launch.ts";
import { inspectPython, nativeLaunch, probeNative } from "./_native_launch.ts";
import type { Backend, ExecSemantics } from "./options.ts";
import { sandboxFlagDefaults } from "./options.ts";
import { type SandboxProvenance, sandboxProvenance } from "./provenance.ts";
import { QWEN_TIMEOUT_TEXT, qwenProgram, type ShownCell } from "./qwen_semantics.ts";
import { planSnapshot } from "./_snapshot_cache.ts";
import { findPythonPackages, pyodideFolder, pyodideVersion } from "./python_packages.ts";
import { LANGUAGES } from "./languages.ts";
import type { ExecOptions, ExecResult } from "./types.ts";
import type { Language } from "./languages.ts";
import { type CellOptions, WorkerProcess } from "./worker_process.ts";

/** Options of {@linkcode createSandbox}. */
export interface SandboxOptions {
  /** Where Python cells run (JavaScript always runs in a permission-less Deno worker). */
  backend?: Backend;
  /** Interpreter of the native backend (default /usr/bin/python3). */
  python?: string;
  /** How Python cells run (see docs/sandbox.md). */
  execSemantics?: ExecSemantics;
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
  /** Session interpreters each worker keeps started ahead of need (Pyodide). */
  spares?: number;
  /** Processes and threads of one native session. */
  processes?: number;
  /** Largest file a native session may write, MiB. */
  fileMiB?: number;
  /** Size of a native session's /tmp, MiB. */
  tmpMiB?: number;
  /** CPU seconds of a native session, all its cells together. */
  cpuSeconds?: number;
  /**
   * How much longer than a cell's timeout a worker process may say nothing before it is taken for
   * dead: it is killed and its waiting cells fail (an error, not a cell's outcome).
   */
  hostSilenceMs?: number;
}

/** Defaults of {@linkcode SandboxOptions}. */
export const sandboxDefaults = {
  backend: sandboxFlagDefaults.sandbox,
  execSemantics: sandboxFlagDefaults.execSemantics,
  workers: navigator.hardwareConcurrency || 2,
  timeoutMs: 5000,
  outputCap: 400,
  memoryMiB: 1024,
  recursionLimit: 1000,
  prewarm: false,
  stateless: false,
  spares: 2,
  processes: 64,
  fileMiB: 64,
  tmpMiB: 64,
  cpuSeconds: 300,
  hostSilenceMs: 30_000,
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
  /** What runs the Python cells (record it with the run). */
  readonly provenance: SandboxProvenance;
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
  // Native: the interpreter is started once in its sandbox now, so a machine where bubblewrap
  // cannot start refuses here, in one line, and never runs cells unsandboxed.
  const native = opts.backend === "native" ? inspectPython(opts.python) : undefined;
  if (native) probeNative(native);
  let provenance: SandboxProvenance | undefined;
  /** The cells of each session so far, under qwen semantics (its program is rebuilt from them). */
  const shown = new Map<string, ShownCell[]>();
  const pools: Record<Language, WorkerProcess[]> = { python: [], javascript: [] };
  const pinned = new Map<string, WorkerProcess>();
  const stats = { execs: 0, replaced: 0 };
  let closed = false;

  const spawn = (language: Language) =>
    new WorkerProcess({
      language,
      silenceMs: opts.hostSilenceMs,
      launch: language === "python" && native
        ? nativeLaunch(native, opts)
        : async (dir, socket) => {
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

  /** Runs a cell; a worker that died meanwhile (crash, memory cap, silence) is replaced at once. */
  const runOn = async (worker: WorkerProcess, code: string, cell: CellOptions) => {
    try {
      return await worker.exec(code, cell);
    } finally {
      if (worker.dead && !closed) pool(worker.language);
    }
  };

  /**
   * Qwen2.5-Math's way: the program made of the session's earlier cells and this one runs in a
   * fresh interpreter; the model is shown what their harness shows.
   */
  const execQwen = async (code: string, session: string | undefined, timeoutMs: number) => {
    const earlier = session ? shown.get(session) ?? [] : [];
    const result = await runOn(pick("python"), qwenProgram(earlier, code), {
      timeoutMs,
      outputCap: opts.outputCap,
      mode: "qwen",
    });
    const output = result.output ??
      (result.status === "timeout" ? QWEN_TIMEOUT_TEXT : result.error ?? "");
    if (session) shown.set(session, [...earlier, { code, shown: output }]);
    return { ...result, output };
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
      const timeoutMs = execOptions.timeoutMs ?? opts.timeoutMs;
      if (language === "python" && opts.execSemantics === "qwen") {
        return await execQwen(code, session, timeoutMs);
      }
      return await runOn(pick(language, session), code, {
        session,
        timeoutMs,
        outputCap: opts.outputCap,
      });
    },
    endSession(session) {
      shown.delete(session);
      const worker = pinned.get(session);
      pinned.delete(session);
      worker?.endSession(session);
    },
    pids(language) {
      const langs: Language[] = language ? [language] : [...LANGUAGES];
      return langs.flatMap((l) => pools[l].filter((w) => !w.dead && w.pid > 0).map((w) => w.pid));
    },
    stats,
    get provenance() {
      return provenance ??= sandboxProvenance(opts);
    },
    async close() {
      closed = true;
      await Promise.all([...pools.python, ...pools.javascript].map((w) => w.kill()));
    },
  };
}
