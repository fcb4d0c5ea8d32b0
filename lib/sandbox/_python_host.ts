/**
 * A Python worker process: Pyodide (CPython on WASM) started with read access to the Pyodide
 * folder and the package folder only. Runs cells like a REPL: stdout/stderr captured up to a
 * cap, the value of a bare last expression printed, the last traceback line as the error.
 */
import { loadPyodide } from "pyodide";
import { openChannel, type WorkerAnswer, type WorkerRequest } from "./_protocol.ts";

// Cell code reaches the JS global scope (Python through `import js`): the channel hides
// stdin and stdout from it.
const { settings, requests, send } = await openChannel();

const py = await loadPyodide({ stdout: () => {}, stderr: () => {} });
py.setStdin({ error: true });
// `import js` reaches the JS globals: no workers (fork-style floods) from cell code.
Object.defineProperty(globalThis, "Worker", { value: undefined });
if (settings.packagesDir) {
  py.FS.mkdirTree("/packages");
  py.mountNodeFS("/packages", settings.packagesDir);
}
py.runPython(`
import sys, io, traceback
from pyodide.code import eval_code
sys.setrecursionlimit(${settings.recursionLimit})
${settings.packagesDir ? 'sys.path.insert(0, "/packages")' : ""}

class _Capture(io.TextIOBase):
    """Keeps the first \`cap\` characters written; counts the rest."""
    def __init__(self, cap):
        self.parts, self.size, self.cap, self.truncated = [], 0, cap, False
    def writable(self):
        return True
    def write(self, s):
        room = self.cap - self.size
        if room > 0:
            self.parts.append(s[:room])
            self.size += min(len(s), room)
        if len(s) > max(room, 0):
            self.truncated = True
        return len(s)
    def value(self):
        return "".join(self.parts)

_sessions = {}

def _tocode_run(code, session, cap):
    ns = _sessions.setdefault(session, {"__name__": "__main__"}) if session else {"__name__": "__main__"}
    out, err = _Capture(cap), _Capture(cap)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    status, error = "ok", None
    try:
        value = eval_code(code, ns, return_mode="last_expr")
        if value is not None:
            print(repr(value))
    except MemoryError:
        status, error = "limit", "MemoryError: out of memory"
    except BaseException as e:
        status = "error"
        error = traceback.format_exception_only(type(e), e)[-1].strip()
    finally:
        sys.stdout, sys.stderr = saved
    return [status, out.value(), err.value(), error, out.truncated or err.truncated]

def _tocode_end(session):
    _sessions.pop(session, None)
`);
for (const module of settings.prewarm ?? []) py.runPython(`import ${module}`);
const run = py.globals.get("_tocode_run");
const end = py.globals.get("_tocode_end");
send({ ready: true });

for await (const raw of requests) {
  const request = raw as WorkerRequest;
  if (request.op === "end") {
    end(request.session);
    continue;
  }
  let answer: WorkerAnswer;
  try {
    const result = run(request.code, request.session ?? null, request.outputCap);
    const [status, out, err, error, truncated] = result.toJs();
    result.destroy();
    answer = { id: request.id, status, stdout: out, stderr: err, error, truncated };
  } catch (error) {
    // An error that escaped Python (a refused permission inside the runtime, WASM memory): the
    // interpreter may be broken, so answer, then exit and let the pool start a fresh worker.
    const message = String((error as Error).message ?? error);
    send({
      id: request.id,
      status: /memory/i.test(message) ? "limit" : "error",
      stdout: "",
      stderr: "",
      error: message.split("\n").filter(Boolean).at(-1) ?? message,
      truncated: false,
    });
    Deno.exit(70);
  }
  send(answer);
}
