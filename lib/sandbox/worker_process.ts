import { dirname } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import type { WorkerAnswer, WorkerRequest, WorkerSettings } from "./_protocol.ts";
import { type ExecResult, type Language, TRUNCATION_MARKER } from "./types.ts";

/** How one worker process is started. */
export interface WorkerProcessOptions {
  language: Language;
  /** Folders the process may read (Python: the Pyodide folder and the package folder). */
  readable: string[];
  /** V8 heap cap in MiB; past it the process dies and the cell gets status "limit". */
  heapMiB: number;
  settings: Omit<WorkerSettings, "nonce">;
}

const HOSTS: Record<Language, string> = {
  python: fromFileUrl(new URL("./_python_host.ts", import.meta.url)),
  javascript: fromFileUrl(new URL("./_js_host.ts", import.meta.url)),
};
const PROJECT_ROOT = dirname(dirname(dirname(fromFileUrl(import.meta.url))));

/**
 * One sandboxed Deno subprocess with the fewest permissions that work. It runs one cell at a
 * time; a cell that overruns its time is ended by SIGKILL of the whole process (never by a
 * signal inside it), after which this object is dead and the pool starts a new one.
 */
export class WorkerProcess {
  readonly ready: Promise<void>;
  readonly language: Language;
  /** Sessions whose state lives in this process. */
  readonly sessions = new Set<string>();
  /** Cells queued or running here (the pool balances on it). */
  load = 0;
  dead = false;
  private child: Deno.ChildProcess;
  private writer: WritableStreamDefaultWriter<Uint8Array>;
  private nonce = crypto.randomUUID();
  private waiting = new Map<number, (answer: WorkerAnswer) => void>();
  private stderrTail = "";
  private chain: Promise<unknown> = Promise.resolve();
  private nextId = 0;
  private readyResolve!: () => void;
  private exited: Promise<Deno.CommandStatus>;

  constructor(options: WorkerProcessOptions) {
    this.language = options.language;
    const allowRead = options.readable.length ? [`--allow-read=${options.readable.join(",")}`] : [];
    this.child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        ...allowRead,
        // The same cap bounds the JS heap and the WASM memory (Pyodide) in 64 KiB pages.
        `--v8-flags=--max-old-space-size=${options.heapMiB},--wasm-max-mem-pages=${
          options.heapMiB * 16
        },--stack-size=2000`,
        HOSTS[options.language],
      ],
      cwd: PROJECT_ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      clearEnv: true,
      env: { NO_COLOR: "1" },
    }).spawn();
    this.ready = new Promise((resolve) => (this.readyResolve = resolve));
    this.writer = this.child.stdin.getWriter();
    this.exited = this.child.status;
    void this.readAnswers();
    void this.readStderr();
    this.send({ nonce: this.nonce, ...options.settings });
    this.exited.then(() => this.onExit());
  }

  /** Runs one cell; cells queue behind each other in this process. */
  exec(
    code: string,
    options: { session?: string; timeoutMs: number; outputCap: number },
  ): Promise<ExecResult> {
    this.load++;
    const run = this.chain.then(() => this.runCell(code, options));
    this.chain = run.catch(() => {});
    return run.finally(() => this.load--);
  }

  /** Frees a session's state. */
  endSession(session: string): void {
    if (!this.sessions.delete(session) || this.dead) return;
    this.send({ id: -1, op: "end", session, outputCap: 0 } satisfies WorkerRequest);
  }

  /** Kills the process (SIGKILL) and waits for it to exit. */
  async kill(): Promise<void> {
    if (!this.dead) {
      this.dead = true;
      try {
        this.child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    await this.exited.catch(() => {});
  }

  /** Process id, for memory readings and tests that kill workers from outside. */
  get pid(): number {
    return this.child.pid;
  }

  private async runCell(
    code: string,
    options: { session?: string; timeoutMs: number; outputCap: number },
  ): Promise<ExecResult> {
    const started = performance.now();
    const result = (
      partial: Partial<ExecResult> & { status: ExecResult["status"] },
    ): ExecResult => ({
      stdout: "",
      stderr: "",
      error: null,
      truncated: false,
      durationMs: performance.now() - started,
      ...partial,
    });
    if (this.dead) return result({ status: "killed", error: "the worker process had exited" });
    await this.ready;
    if (this.dead) return result({ status: "killed", error: "the worker process had exited" });
    if (options.session) this.sessions.add(options.session);
    const id = this.nextId++;
    const answer = new Promise<WorkerAnswer | "exit">((resolve) => {
      this.waiting.set(id, resolve);
      this.exited.then(() => resolve("exit"));
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), options.timeoutMs);
    });
    const execStart = performance.now();
    this.send({ id, op: "exec", code, session: options.session, outputCap: options.outputCap });
    const outcome = await Promise.race([answer, timeout]);
    clearTimeout(timer);
    this.waiting.delete(id);
    if (outcome === "timeout") {
      void this.kill();
      return result({
        status: "timeout",
        error: `TimeoutError: execution exceeded ${options.timeoutMs} ms`,
        durationMs: performance.now() - execStart,
      });
    }
    if (outcome === "exit") {
      this.dead = true;
      const oom = /out of memory|heap limit|allocation failed|OOM/i.test(this.stderrTail);
      return result({
        status: oom ? "limit" : "killed",
        error: oom ? "MemoryError: the worker ran out of memory" : "the worker process exited",
        durationMs: performance.now() - execStart,
      });
    }
    const stdout = outcome.stdout ?? "";
    return {
      status: outcome.status ?? "error",
      stdout: outcome.truncated ? stdout + TRUNCATION_MARKER : stdout,
      stderr: outcome.stderr ?? "",
      error: outcome.error ?? null,
      truncated: outcome.truncated ?? false,
      durationMs: performance.now() - execStart,
    };
  }

  private send(message: unknown): void {
    this.writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n")).catch(() => {});
  }

  private async readAnswers(): Promise<void> {
    const prefix = `${this.nonce} `;
    let pending = "";
    try {
      for await (const chunk of this.child.stdout.pipeThrough(new TextDecoderStream())) {
        pending += chunk;
        let newline;
        while ((newline = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (!line.startsWith(prefix)) continue; // noise written by cell code, not an answer
          const answer = JSON.parse(line.slice(prefix.length)) as WorkerAnswer;
          if (answer.ready) this.readyResolve();
          else if (answer.id !== undefined) this.waiting.get(answer.id)?.(answer);
        }
      }
    } catch {
      // the process was killed mid-line
    }
  }

  private async readStderr(): Promise<void> {
    try {
      for await (const chunk of this.child.stderr.pipeThrough(new TextDecoderStream())) {
        this.stderrTail = (this.stderrTail + chunk).slice(-4000);
      }
    } catch {
      // killed
    }
  }

  private onExit(): void {
    this.dead = true;
    this.readyResolve();
    this.writer.close().catch(() => {});
  }
}
