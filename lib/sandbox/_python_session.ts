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
import { NOTEBOOK_PY, QWEN_PY } from "./_python_cells.ts";

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
    py.runPython(${JSON.stringify(NOTEBOOK_PY + QWEN_PY)});
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
    const runQwen = py.globals.get("_qwen_run");
    lockDown();
    port.onmessage = async ({ data }) => {
      let answer;
      try {
        let result = data.mode === "qwen" ? runQwen(data.code) : run(data.code, data.cap);
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
