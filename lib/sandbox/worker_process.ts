import { join } from "node:path";
import {
  type ExecMode,
  jsonLine,
  readJsonLines,
  type WorkerAnswer,
  type WorkerRequest,
} from "./_protocol.ts";
import { type ExecResult, TRUNCATION_MARKER } from "./types.ts";
import type { Language } from "./languages.ts";

/** How a worker process is started, given its private folder and its channel's socket. */
export interface WorkerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The first message on the channel. */
  settings: unknown;
  /** Called once the worker is up. */
  ready?: () => Promise<void>;
  /** A secret the worker's first line must carry (it gets it in its environment). */
  nonce?: string;
  /**
   * Let other users reach the socket (a worker that runs as another user): the folder becomes
   * traversable and the socket writable by all, and the nonce tells the worker from anyone else.
   */
  openToOthers?: boolean;
}

/** How one cell runs on a worker. */
export interface CellOptions {
  session?: string;
  timeoutMs: number;
  outputCap: number;
  mode?: ExecMode;
}

/** Options of {@linkcode WorkerProcess}. */
export interface WorkerProcessOptions {
  language: Language;
  /**
   * A host answers a cell's timeout itself, so a host that has said nothing at all for this much
   * longer than the cell's timeout is taken for dead. Silence counts from the host's last word,
   * not from the cell's submission: a cell queued behind interpreter starts or other sessions'
   * cells waits as long as the host keeps answering.
   */
  silenceMs: number;
  /** Builds the command line; `dir` is the worker's private folder, removed when it exits. */
  launch(dir: string, socket: string): WorkerLaunch | Promise<WorkerLaunch>;
}

/** How often a waiting cell checks the host's silence. */
const SILENCE_CHECK_MS = 1000;
/** Characters of a worker's stdout and stderr kept for diagnostics. */
const TAIL_CHARS = 4000;
const DEBUG = Deno.env.get("TOCODE_SANDBOX_DEBUG");

/** The first line of a process's stderr that reports an error (else its last line). */
function firstError(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error/i.test(l)) ?? lines.at(-1);
}

/**
 * One sandboxed worker process and its private channel: a Unix socket in a fresh folder that the
 * process connects to once at start. The listener is closed after that one connection, so the
 * socket cannot be reached again, not even by the process. The process's stdout and stderr are
 * drained into short tails, never parsed: cell code cannot write to the channel.
 */
export class WorkerProcess {
  readonly ready: Promise<void>;
  readonly language: Language;
  private readonly silenceMs: number;
  /** Sessions whose interpreter lives in this process. */
  readonly sessions = new Set<string>();
  /** Cells queued or running here (the pool balances on it). */
  load = 0;
  dead = false;
  private readonly dir: string;
  private child?: Deno.ChildProcess;
  private readonly exited: Promise<Deno.CommandStatus | undefined>;
  private markExited!: (status: Deno.CommandStatus | undefined) => void;
  private removed: Promise<Error | undefined> = Promise.resolve(undefined);
  private writer?: WritableStreamDefaultWriter<Uint8Array>;
  private readonly waiting = new Map<number, (answer: WorkerAnswer | "exit") => void>();
  /** When the host last answered anything (its liveness for waiting cells). */
  private lastHeard = performance.now();
  private readonly chains = new Map<string, Promise<unknown>>();
  private stderrTail = "";
  private nextId = 0;

  constructor(options: WorkerProcessOptions) {
    this.language = options.language;
    this.silenceMs = options.silenceMs;
    this.dir = Deno.makeTempDirSync({ prefix: "tocode-sandbox-" });
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    this.exited.then(() => this.onExit());
    this.ready = this.start(options);
    // A failed start is reported by every exec() and start() that awaits it.
    this.ready.catch(() => {});
  }

  /** Runs one cell; a session's cells run one after another, other cells alongside. */
  exec(
    code: string,
    options: CellOptions,
  ): Promise<ExecResult> {
    this.load++;
    const key = options.session;
    const previous = key ? this.chains.get(key) ?? Promise.resolve() : Promise.resolve();
    const run = previous.then(() => this.runCell(code, options));
    if (key) {
      const settled = run.then(() => {}, () => {});
      this.chains.set(key, settled);
      settled.then(() => this.chains.get(key) === settled && this.chains.delete(key));
    }
    return run.finally(() => this.load--);
  }

  /** Ends a session: its interpreter is discarded. */
  endSession(session: string): void {
    if (!this.sessions.delete(session) || this.dead) return;
    this.send({ op: "end", session } satisfies WorkerRequest);
  }

  /** Kills the process (SIGKILL) and waits for it to exit. */
  async kill(): Promise<void> {
    if (!this.dead) {
      this.dead = true;
      try {
        this.child?.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    await this.exited;
    const error = await this.removed;
    if (error) {
      throw new Error(`Cannot remove the sandbox worker's folder ${this.dir}: ${error.message}`);
    }
  }

  /** Process id, for memory readings and tests that kill workers from outside. */
  get pid(): number {
    return this.child?.pid ?? -1;
  }

  private async start(options: WorkerProcessOptions): Promise<void> {
    const socket = join(this.dir, "channel.sock");
    const listener = Deno.listen({ transport: "unix", path: socket });
    let launch: WorkerLaunch;
    try {
      launch = await options.launch(this.dir, socket);
    } catch (error) {
      listener.close();
      this.markExited(undefined);
      throw error;
    }
    if (this.dead) {
      listener.close();
      this.markExited(undefined);
      throw new Error(`Cannot start the ${this.language} sandbox worker: the pool was closed`);
    }
    if (launch.openToOthers) {
      Deno.chmodSync(this.dir, 0o711);
      Deno.chmodSync(socket, 0o666);
    }
    const child = new Deno.Command(launch.command, {
      args: launch.args,
      cwd: this.dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      clearEnv: true,
      env: launch.env,
    }).spawn();
    this.child = child;
    child.status.then(this.markExited);
    this.drain(child.stdout, () => {});
    this.drain(child.stderr, (text) => {
      if (DEBUG) console.error(text);
      this.stderrTail = (this.stderrTail + text).slice(-TAIL_CHARS);
    });
    const conn = await Promise.race([listener.accept(), this.exited.then(() => undefined)]);
    listener.close();
    if (!conn) {
      throw new Error(
        `Cannot start the ${this.language} sandbox worker: it exited before connecting (${
          firstError(this.stderrTail) ?? "no output"
        })`,
      );
    }
    this.writer = conn.writable.getWriter();
    const answers = readJsonLines(conn.readable);
    if (launch.nonce !== undefined) {
      const hello = await answers.next();
      if (hello.done || (hello.value as { hello?: string }).hello !== launch.nonce) {
        child.kill("SIGKILL");
        throw new Error(
          `Cannot start the ${this.language} sandbox worker: what connected to its channel did not ` +
            "prove it is the worker",
        );
      }
    }
    this.send(launch.settings);
    const first = await answers.next();
    if (first.done || !(first.value as WorkerAnswer).ready) {
      await this.exited;
      throw new Error(
        `Cannot start the ${this.language} sandbox worker: ${
          firstError(this.stderrTail) ?? "it closed its channel"
        }`,
      );
    }
    this.readAnswers(answers);
    await launch.ready?.();
  }

  private async runCell(code: string, options: CellOptions): Promise<ExecResult> {
    const started = performance.now();
    const ended = (status: ExecResult["status"], error: string): ExecResult => ({
      status,
      stdout: "",
      stderr: "",
      error,
      truncated: false,
      durationMs: performance.now() - started,
    });
    if (this.dead) return ended("killed", "the worker process had exited");
    await this.ready;
    if (this.dead) return ended("killed", "the worker process had exited");
    if (options.session) this.sessions.add(options.session);
    const id = this.nextId++;
    const answer = new Promise<WorkerAnswer | "exit">((resolve) => this.waiting.set(id, resolve));
    const execStart = performance.now();
    const limit = options.timeoutMs + this.silenceMs;
    let check: ReturnType<typeof setInterval> | undefined;
    const silence = new Promise<"silent">((resolve) => {
      check = setInterval(() => {
        if (performance.now() - Math.max(this.lastHeard, execStart) > limit) resolve("silent");
      }, SILENCE_CHECK_MS);
    });
    this.send({ op: "exec", id, code, ...options } satisfies WorkerRequest);
    const outcome = await Promise.race([answer, silence]);
    clearInterval(check);
    this.waiting.delete(id);
    if (outcome === "silent") {
      await this.kill();
      // Not the cell's outcome: the sample that waits on it fails as a sandbox error.
      throw new Error(
        `Cannot run the cell: the ${this.language} worker said nothing for ${
          Math.round(limit / 1000)
        } s and was ended`,
      );
    }
    if (outcome === "exit") {
      const oom = /out of memory|heap limit|allocation failed|OOM/i.test(this.stderrTail);
      return oom
        ? ended("limit", "MemoryError: the cell exceeded the sandbox's memory cap")
        : ended("killed", "the worker process exited");
    }
    const stdout = outcome.stdout ?? "";
    return {
      status: outcome.status ?? "error",
      stdout: outcome.truncated ? stdout + TRUNCATION_MARKER : stdout,
      stderr: outcome.stderr ?? "",
      error: outcome.error ?? null,
      truncated: outcome.truncated ?? false,
      durationMs: outcome.durationMs ?? performance.now() - execStart,
      ...(outcome.output === undefined ? {} : { output: outcome.output }),
    };
  }

  private send(message: unknown): void {
    this.writer?.write(jsonLine(message)).catch(() => {
      // the process is gone; its exit answers every waiting cell
    });
  }

  private async readAnswers(answers: AsyncGenerator<unknown>): Promise<void> {
    try {
      for await (const raw of answers) {
        const answer = raw as WorkerAnswer;
        this.lastHeard = performance.now();
        if (answer.id !== undefined) this.waiting.get(answer.id)?.(answer);
      }
    } catch {
      // the process was killed mid-line; its exit answers every waiting cell
    }
  }

  private async drain(stream: ReadableStream<Uint8Array>, keep: (text: string) => void) {
    try {
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) keep(chunk);
    } catch {
      // killed
    }
  }

  private onExit(): void {
    this.dead = true;
    for (const resolve of this.waiting.values()) resolve("exit");
    this.writer?.close().catch(() => {});
    // The private folder (socket, DENO_DIR, snapshot part) goes with the process; a folder already
    // gone is no error.
    this.removed = Deno.remove(this.dir, { recursive: true }).then(
      () => undefined,
      (error) => (error instanceof Deno.errors.NotFound ? undefined : error as Error),
    );
  }
}
