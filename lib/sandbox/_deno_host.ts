/**
 * The host of a Deno worker process (Pyodide or JavaScript). It runs no cell code itself: it
 * holds the channel to the pool, and gives every session an isolate of its own (a Web Worker,
 * see _lockdown.ts), started ahead of need from a few spares. A cell that overruns its time ends
 * its isolate, not the process; a session's end ends its isolate.
 *
 * Started as `deno run ... _deno_host.ts SOCKET`: it connects to the pool's socket, then gives up
 * the permissions to reach it again before any isolate exists, so no session can.
 */
import {
  type ExecMode,
  type HostSettings,
  jsonLine,
  readJsonLines,
  type WorkerAnswer,
  type WorkerRequest,
} from "./_protocol.ts";
import { JS_SESSION_SOURCE } from "./_js_session.ts";
import { PYTHON_SESSION_SOURCE, type PythonSessionInit } from "./_python_session.ts";

type CellAnswer = Omit<WorkerAnswer, "id" | "ready">;

const socket = Deno.args[0];
const conn = await Deno.connect({ transport: "unix", path: socket });
Deno.permissions.revokeSync({ name: "net", host: `unix:${socket}` });
Deno.permissions.revokeSync({ name: "read", path: socket });
Deno.permissions.revokeSync({ name: "write", path: socket });

const requests = readJsonLines(conn.readable);
const settings = (await requests.next()).value as HostSettings;
const writer = conn.writable.getWriter();
const send = (answer: WorkerAnswer) => writer.write(jsonLine(answer));

/**
 * Each isolate gets a permission set of its own (not the host's, which it would share): reading
 * the interpreter's folders for Python; for JavaScript only `sys`, which it revokes for itself
 * once its inspector is attached.
 */
const isolatePermissions = {
  read: settings.readable.length ? settings.readable : false,
  sys: settings.language === "javascript",
  net: false,
  write: false,
  env: false,
  run: false,
  ffi: false,
  import: false,
} as const;

const sourceUrl = URL.createObjectURL(
  new Blob([settings.language === "python" ? PYTHON_SESSION_SOURCE : JS_SESSION_SOURCE], {
    type: "text/javascript",
  }),
);

/** An isolate being started: its worker, and its port with its first message once it is up. */
interface Started {
  worker: Worker;
  up: Promise<{ port: MessagePort; first: Record<string, unknown> }>;
}

/** Starts an isolate and hands it its port and settings. */
function startIsolate(init: Record<string, unknown>): Started {
  const worker = new Worker(sourceUrl, {
    type: "module",
    deno: { permissions: isolatePermissions },
  });
  const channel = new MessageChannel();
  const up = new Promise<{ port: MessagePort; first: Record<string, unknown> }>(
    (resolve, reject) => {
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message));
      };
      channel.port1.onmessage = ({ data }) => {
        if (data.failed) reject(new Error(data.failed));
        else resolve({ port: channel.port1, first: data });
      };
    },
  );
  worker.postMessage({ port: channel.port2, ...init }, [channel.port2]);
  return { worker, up };
}

/**
 * What every Python isolate starts from: one snapshot (read from the cache, or made by a one-off
 * isolate and written for the next pools) and one compiled module per process.
 */
async function pythonStart(): Promise<Omit<PythonSessionInit, "memoryMiB">> {
  const { snapshotPath, snapshotOut, ...python } = settings.python!;
  const bytes = await Deno.readFile(python.indexPath + "pyodide.asm.wasm");
  const module = await WebAssembly.compile(bytes);
  const lockFile = await Deno.readTextFile(python.indexPath + "pyodide-lock.json");
  let snapshot: Uint8Array;
  if (snapshotPath) {
    snapshot = await Deno.readFile(snapshotPath);
    Deno.permissions.revokeSync({ name: "read", path: snapshotPath });
  } else {
    const maker = startIsolate({
      ...python,
      module,
      lockFile,
      memoryMiB: settings.memoryMiB,
      makeSnapshot: true,
    });
    snapshot = (await maker.up).first.snapshot as Uint8Array;
    maker.worker.terminate();
    if (snapshotOut) {
      await Deno.writeFile(snapshotOut, snapshot);
      Deno.permissions.revokeSync({ name: "write", path: snapshotOut });
    }
  }
  // Shared memory: handing the snapshot to each isolate does not copy it.
  const shared = new Uint8Array(new SharedArrayBuffer(snapshot.byteLength));
  shared.set(snapshot);
  return { ...python, snapshot: shared, module, lockFile };
}

/** A first-in first-out limit on how many tasks run at once. */
class Slots {
  private free: number;
  private readonly queue: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/**
 * One cell runs at a time in a worker process, as before sessions had isolates of their own: the
 * pool's worker count is its parallelism, and a cell's wall timeout is not spent waiting for CPU
 * that other cells hold. Interpreters start one at a time, behind the running cell.
 */
const cellSlots = new Slots(1);
const startSlots = new Slots(1);

/** One session's isolate: runs its cells one at a time, each under a wall timeout. */
class Interpreter {
  broken = false;
  /** What the isolate held after its last cell (JS heap, ArrayBuffers, WASM memory), MiB. */
  heldMiB = 0;
  private worker?: Worker;
  private ended = false;
  private readonly up: Promise<MessagePort>;
  private stop?: (answer: CellAnswer & { broken: true }) => void;

  constructor(init: Record<string, unknown>) {
    memory.interpreterStarted();
    this.up = startSlots.run(async () => {
      if (this.ended) throw new Error("the session ended before its interpreter started");
      const started = startIsolate(init);
      this.worker = started.worker;
      const { port, first } = await started.up;
      this.heldMiB = Number(first.heldMiB ?? 0);
      return port;
    });
    // Started ahead of need: a failure to start is reported by the cell that takes it (run()).
    this.up.catch(() => {});
  }

  /** Resolves once the isolate is up, or failed to start. */
  async started(): Promise<void> {
    await this.up.catch(() => {
      this.broken = true;
    });
  }

  async run(
    cell: { code: string; outputCap: number; timeoutMs: number; mode?: ExecMode },
  ): Promise<CellAnswer> {
    let port: MessagePort;
    try {
      port = await this.up;
    } catch (error) {
      this.broken = true;
      return failure(`Cannot start the ${settings.language} interpreter: ${message(error)}`);
    }
    return await cellSlots.run(() => this.runCell(port, cell));
  }

  private async runCell(
    port: MessagePort,
    { code, outputCap, timeoutMs, mode }: Parameters<Interpreter["run"]>[0],
  ): Promise<CellAnswer> {
    if (this.ended) return { ...failure("the session's interpreter was ended"), status: "killed" };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = performance.now();
    memory.cellStarted(this);
    const answer = await new Promise<CellAnswer & { broken?: boolean; heldMiB?: number }>(
      (resolve) => {
        this.stop = resolve;
        port.onmessage = ({ data }) => resolve(data);
        this.worker!.onerror = (event) => {
          event.preventDefault();
          resolve({ ...failure(event.message), broken: true });
        };
        timer = setTimeout(() => {
          resolve({
            status: "timeout",
            stdout: "",
            stderr: "",
            error: `TimeoutError: execution exceeded ${timeoutMs} ms`,
            truncated: false,
            broken: true,
          });
        }, timeoutMs);
        port.postMessage({ code, cap: outputCap, mode });
      },
    );
    clearTimeout(timer);
    this.stop = undefined;
    const kept = answer.heldMiB === undefined ? 0 : answer.heldMiB - this.heldMiB;
    if (answer.heldMiB !== undefined) this.heldMiB = answer.heldMiB;
    memory.cellEnded(this, kept);
    if (answer.broken) {
      this.broken = true;
      this.end(); // ends a looping or broken isolate now, before the next cell takes the slot
    }
    const { broken: _, heldMiB: __, ...cell } = answer;
    return { ...cell, durationMs: performance.now() - started };
  }

  /** Ends the running cell with status "limit" (the process's memory passed the cap). */
  overMemory(): void {
    this.stop?.({
      status: "limit",
      stdout: "",
      stderr: "",
      error: `MemoryError: the cell exceeded the sandbox's memory cap of ${settings.memoryMiB} MiB`,
      truncated: false,
      broken: true,
    });
  }

  end(): void {
    this.ended = true;
    this.worker?.terminate();
  }
}

/** How often the process's resident memory is read while cells run. */
const MEMORY_POLL_MS = 20;
const rssMiB = () => Deno.memoryUsage().rss / 2 ** 20;

/**
 * The memory wall that counts everything, ArrayBuffers included: while cells run, the process's
 * resident memory may grow by the cap at most over what is accounted for (its level when the
 * cells began, interpreters started since, and what finished cells keep in their sessions, which
 * each session's own cap bounds). Past it, the running cells end with status "limit" and their
 * isolates are ended, which gives their memory back; the other sessions live on.
 */
class MemoryWatch {
  /** Resident memory one interpreter adds, measured on the first one (MiB). */
  perInterpreterMiB = 0;
  private readonly running = new Set<Interpreter>();
  private baseMiB = 0;
  private accountedMiB = 0;
  private poll?: ReturnType<typeof setInterval>;

  interpreterStarted(): void {
    this.accountedMiB += this.perInterpreterMiB;
  }

  cellStarted(interpreter: Interpreter): void {
    if (this.running.size === 0) {
      this.baseMiB = rssMiB();
      this.accountedMiB = 0;
      this.poll = setInterval(() => this.check(), MEMORY_POLL_MS);
    }
    this.running.add(interpreter);
  }

  cellEnded(interpreter: Interpreter, keptMiB: number): void {
    this.accountedMiB += Math.max(0, keptMiB);
    this.running.delete(interpreter);
    if (this.running.size === 0) clearInterval(this.poll);
  }

  private check(): void {
    if (rssMiB() <= this.baseMiB + this.accountedMiB + settings.memoryMiB) return;
    for (const interpreter of [...this.running]) interpreter.overMemory();
  }
}

const failure = (error: string): CellAnswer => ({
  status: "error",
  stdout: "",
  stderr: "",
  error,
  truncated: false,
});
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

const init: Record<string, unknown> = {
  memoryMiB: settings.memoryMiB,
  ...(settings.language === "python" ? await pythonStart() : {}),
};
const memory = new MemoryWatch();

// The first interpreter alone, to measure what one adds to the process.
const before = rssMiB();
const first = new Interpreter(init);
await first.started();
memory.perInterpreterMiB = Math.max(rssMiB() - before, first.heldMiB);
const spares: Interpreter[] = first.broken ? [] : [first];
const refill = () => {
  while (spares.length < settings.spares) spares.push(new Interpreter(init));
};
const take = () => {
  const interpreter = spares.shift() ?? new Interpreter(init);
  refill();
  return interpreter;
};
refill();
const sessions = new Map<string, Interpreter>();

async function exec(request: Extract<WorkerRequest, { op: "exec" }>): Promise<WorkerAnswer> {
  let interpreter = request.session ? sessions.get(request.session) : undefined;
  if (!interpreter) {
    interpreter = take();
    if (request.session) sessions.set(request.session, interpreter);
  }
  const answer = await interpreter.run(request);
  // A cell without a session, or one that broke its interpreter, leaves nothing behind.
  if (!request.session || interpreter.broken) {
    interpreter.end();
    if (request.session && sessions.get(request.session) === interpreter) {
      sessions.delete(request.session);
    }
  }
  return { id: request.id, ...answer };
}

await send({ ready: true });
for await (const raw of requests) {
  const request = raw as WorkerRequest;
  if (request.op === "end") {
    sessions.get(request.session)?.end();
    sessions.delete(request.session);
    continue;
  }
  exec(request).then(send, (error) => send({ id: request.id, ...failure(message(error)) }));
}
// The pool closed the channel.
Deno.exit(0);
