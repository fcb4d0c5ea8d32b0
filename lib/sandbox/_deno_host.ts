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

/** What every Python isolate starts from: one snapshot and one compiled module per process. */
async function pythonStart(): Promise<Omit<PythonSessionInit, "memoryMiB">> {
  const python = settings.python!;
  const bytes = await Deno.readFile(python.indexPath + "pyodide.asm.wasm");
  const module = await WebAssembly.compile(bytes);
  const maker = startIsolate({ ...python, memoryMiB: settings.memoryMiB, makeSnapshot: true });
  const snapshot = (await maker.up).first.snapshot as Uint8Array;
  maker.worker.terminate();
  // Shared memory: handing the snapshot to each isolate does not copy it.
  const shared = new Uint8Array(new SharedArrayBuffer(snapshot.byteLength));
  shared.set(snapshot);
  return { ...python, snapshot: shared, module };
}

/** One session's isolate: runs its cells one at a time, each under a wall timeout. */
class Interpreter {
  broken = false;
  private readonly worker: Worker;
  private readonly up: Started["up"];

  constructor(init: Record<string, unknown>) {
    ({ worker: this.worker, up: this.up } = startIsolate(init));
    // Started ahead of need: a failure to start is reported by the cell that takes it (run()).
    this.up.catch(() => {});
  }

  async run(code: string, cap: number, timeoutMs: number): Promise<CellAnswer> {
    let port: MessagePort;
    try {
      port = (await this.up).port;
    } catch (error) {
      this.broken = true;
      return failure(`Cannot start the ${settings.language} interpreter: ${message(error)}`);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = performance.now();
    const answer = await new Promise<CellAnswer & { broken?: boolean }>((resolve) => {
      port.onmessage = ({ data }) => resolve(data);
      this.worker.onerror = (event) => {
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
      port.postMessage({ code, cap });
    });
    clearTimeout(timer);
    if (answer.broken) this.broken = true;
    const { broken: _, ...cell } = answer;
    return { ...cell, durationMs: performance.now() - started };
  }

  end(): void {
    this.worker.terminate();
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
const spares: Interpreter[] = [];
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
  const answer = await interpreter.run(request.code, request.outputCap, request.timeoutMs);
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
