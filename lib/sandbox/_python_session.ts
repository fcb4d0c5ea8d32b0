/**
 * One Python session: a Pyodide interpreter of its own in a session isolate (see _lockdown.ts).
 * No module, builtin or `__main__` is shared with any other session. The interpreter starts from
 * a memory snapshot that the host made once per worker process, and from the WebAssembly module
 * the host compiled once, so a session starts in a fraction of Pyodide's full load.
 *
 * Cells run like a REPL: stdout and stderr captured up to a cap, the value of a bare last
 * expression printed, top-level `await` allowed, the last traceback line as the error.
 *
 * The same source, started with `makeSnapshot`, loads Pyodide in full, imports the prewarm modules
 * and answers with the snapshot instead of running cells.
 */
import { LOCKDOWN_SOURCE } from "./_lockdown.ts";

/** Settings of a Python session isolate (the first message, next to the host's port). */
export interface PythonSessionInit {
  /** Folder of the pyodide package, ending in "/". */
  indexPath: string;
  /** Folder mounted read-only at /packages (sympy, mpmath). */
  packagesDir?: string;
  /** Modules imported before the snapshot is taken. */
  prewarm: string[];
  recursionLimit: number;
  /** Memory the session may keep between cells, MiB. */
  memoryMiB: number;
  /** Make the snapshot and answer with it (the host's one-off maker isolate). */
  makeSnapshot?: boolean;
  /** The snapshot to start from, and the compiled pyodide.asm.wasm. */
  snapshot?: Uint8Array;
  module?: WebAssembly.Module;
}

const PYTHON_SETUP = `
import ast, sys, io, json, traceback
from ast import PyCF_ALLOW_TOP_LEVEL_AWAIT
from inspect import CO_COROUTINE

def _compile(code):
    """
    The cell's statements, and its last expression apart so its value can be echoed (not when a
    semicolon ends it, the IPython rule). Parsed once by the C parser: Pyodide's CodeRunner does
    the same with a tokenizer pass that costs several times more per cell.
    """
    flags = PyCF_ALLOW_TOP_LEVEL_AWAIT
    tree = compile(code, "<exec>", "exec", ast.PyCF_ONLY_AST | flags)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        node = tree.body[-1]
        line = code.splitlines()[node.end_lineno - 1].encode()
        if not line[node.end_col_offset:].lstrip().startswith(b";"):
            tree.body.pop()
            last = compile(ast.Expression(node.value), "<exec>", "eval", flags)
    return compile(tree, "<exec>", "exec", flags), last

class _Capture(io.TextIOBase):
    """Keeps the first cap characters written; counts the rest."""
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

_namespace = {"__name__": "__main__", "__builtins__": __builtins__}

class _Cell:
    """One cell: output captured while it runs, the last expression echoed, the error's last line."""
    def __init__(self, cap):
        self.out, self.err = _Capture(cap), _Capture(cap)
        self.status, self.error = "ok", None
    def __enter__(self):
        self.saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.out, self.err
        return self
    def echo(self, value):
        if value is not None:
            print(repr(value))
    def __exit__(self, kind, e, tb):
        sys.stdout, sys.stderr = self.saved
        if isinstance(e, MemoryError):
            self.status, self.error = "limit", "MemoryError: out of memory"
        elif e is not None:
            self.status = "error"
            self.error = traceback.format_exception_only(kind, e)[-1].strip()
        return True
    def answer(self):
        """The answer as JSON text: one string crosses into JavaScript, not a proxy per field."""
        return json.dumps({
            "status": self.status,
            "stdout": self.out.value(),
            "stderr": self.err.value(),
            "error": self.error,
            "truncated": self.out.truncated or self.err.truncated,
        })

async def _run_async(body, last, cell):
    with cell:
        ran = eval(body, _namespace)
        if body.co_flags & CO_COROUTINE:
            await ran
        value = eval(last, _namespace) if last else None
        cell.echo(await value if last and last.co_flags & CO_COROUTINE else value)
    return cell.answer()

def _tocode_run(code, cap):
    """Runs a cell; a coroutine when the cell awaits at top level (the caller awaits it)."""
    cell = _Cell(cap)
    with cell:
        body, last = _compile(code)
        if (body.co_flags | (last.co_flags if last else 0)) & CO_COROUTINE:
            return _run_async(body, last, cell)
        exec(body, _namespace)
        cell.echo(eval(last, _namespace) if last else None)
    return cell.answer()
`;

/** The isolate's source, plain JavaScript. */
export const PYTHON_SESSION_SOURCE = `${LOCKDOWN_SOURCE}
const { port, ...init } = await firstMessage;

const mountPackages = (FS) => {
  if (!init.packagesDir) return;
  FS.mkdirTree("/packages");
  FS.mount(FS.filesystems.NODEFS, { root: init.packagesDir }, "/packages");
};

const { loadPyodide } = await import("file://" + init.indexPath + "pyodide.mjs");
let py;
try {
  if (init.makeSnapshot) {
    py = await loadPyodide({ indexURL: init.indexPath, _makeSnapshot: true, stdout: () => {}, stderr: () => {} });
    mountPackages(py.FS);
    py.runPython(${JSON.stringify(PYTHON_SETUP)});
    py.runPython("import sys\\nsys.setrecursionlimit(" + init.recursionLimit + ")" +
      (init.packagesDir ? "\\nsys.path.insert(0, '/packages')" : ""));
    for (const name of init.prewarm) py.runPython("import " + name);
    const snapshot = py.makeMemorySnapshot();
    port.postMessage({ snapshot }, [snapshot.buffer]);
  } else {
    // Pyodide instantiates its module from the file's bytes; hand it the module the host compiled,
    // with the memory grown to hold the snapshot.
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async (source, imports) => {
      if (!(source instanceof WebAssembly.Module) && source.byteLength > 1e6) {
        const instance = await instantiate(init.module, imports);
        const memory = instance.exports.memory;
        const missing = Math.ceil((init.snapshot.byteLength - memory.buffer.byteLength) / 65536);
        if (missing > 0) memory.grow(missing);
        return { instance, module: init.module };
      }
      return instantiate(source, imports);
    };
    py = await loadPyodide({
      indexURL: init.indexPath,
      _loadSnapshot: init.snapshot,
      fsInit: async (FS) => mountPackages(FS),
      stdout: () => {},
      stderr: () => {},
    });
    WebAssembly.instantiate = instantiate;
    py.setStdin({ error: true });
    // The file's bytes and the snapshot's copy are garbage now: give their memory back.
    collectGarbage();
    const run = py.globals.get("_tocode_run");
    lockDown();
    port.onmessage = async ({ data }) => {
      let answer;
      try {
        let result = run(data.code, data.cap);
        // A cell that awaits at top level returns a coroutine, which Pyodide hands over as a promise.
        if (typeof result !== "string") {
          const coroutine = result;
          result = await coroutine;
          coroutine.destroy();
        }
        answer = JSON.parse(result);
      } catch (error) {
        // An error that escaped Python (WASM stack or memory): the interpreter may be broken, so
        // the host ends this isolate after the answer.
        const message = String(error?.message ?? error);
        answer = {
          status: /memory/i.test(message) ? "limit" : "error",
          stdout: "",
          stderr: "",
          error: message.split("\\n").filter(Boolean).at(-1) ?? message,
          truncated: false,
          broken: true,
        };
      }
      port.postMessage(await finishCell(answer, init.memoryMiB));
    };
    port.postMessage({ ready: true, heldMiB: heldMiB() });
  }
} catch (error) {
  port.postMessage({ failed: String(error?.stack ?? error) });
}
`;
