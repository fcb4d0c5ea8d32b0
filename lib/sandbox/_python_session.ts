/**
 * One Python session: a Pyodide interpreter of its own in a session isolate (see _lockdown.ts).
 * No module, builtin or `__main__` is shared with any other session. The interpreter starts from
 * a memory snapshot that the host made once per worker process, and from the WebAssembly module
 * the host compiled once, so a session starts in a fraction of Pyodide's full load. What a start
 * still costs is mostly Pyodide's JavaScript runtime linking its ~8,500 exports in the fresh realm
 * (docs/sandbox.md, "Cost"); the start does no other work it can hand to the host: no file read
 * but the standard library, no compile but the realm's own.
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
  /** pyodide-lock.json, read once by the host. */
  lockFile?: string;
}

/** The isolate's source, plain JavaScript. */
export const PYTHON_SESSION_SOURCE = `${LOCKDOWN_SOURCE}
const { port, ...init } = await firstMessage;

const mountPackages = (FS) => {
  if (!init.packagesDir) return;
  FS.mkdirTree("/packages");
  FS.mount(FS.filesystems.NODEFS, { root: init.packagesDir }, "/packages");
};

/**
 * Pyodide's Emscripten runtime, started from the module the host compiled: its memory grown to
 * hold the snapshot, instead of Pyodide reading the 9.6 MB pyodide.asm.wasm again to hand it to
 * WebAssembly.instantiate. Pyodide starts that read when it builds its settings, unless
 * WasmOffsetConverter is defined (its sign that the build instantiates the module itself): it is,
 * until the interpreter is up. Pyodide's two error-marker imports are then ours, its fallback's
 * way (a private marker, and the check for it). The snapshot maker starts the same way, so every
 * interpreter's function table is laid out alike.
 */
const fromSharedModule = (settings) =>
  createPyodideModule({
    ...settings,
    instantiateWasm(imports, receive) {
      const marker = Symbol("error marker");
      imports.env.Jsv_GetError_import = () => marker;
      imports.env.JsvError_Check = (value) => value === marker;
      WebAssembly.instantiate(init.module, imports).then((instance) => {
        const memory = instance.exports.memory;
        const bytes = init.snapshot?.byteLength ?? 0;
        const missing = Math.ceil((bytes - memory.buffer.byteLength) / 65536);
        if (missing > 0) memory.grow(missing);
        receive(instance, init.module);
      }, (error) => port.postMessage({ failed: String(error?.stack ?? error) }));
      return {};
    },
  });

/**
 * While the runtime links, it wraps ~260 JavaScript functions for its function table, each by
 * compiling a tiny module that differs only in its signature, after a TypeError it throws and
 * catches: one compile per signature, and no stack traces, for as long as the interpreter loads.
 */
const WasmModule = WebAssembly.Module;
const adapters = new Map();
const AdapterModule = function (bytes) {
  if (bytes.byteLength > 256) return new WasmModule(bytes);
  const key = String.fromCharCode(...new Uint8Array(bytes));
  let module = adapters.get(key);
  if (!module) adapters.set(key, module = new WasmModule(bytes));
  return module;
};
AdapterModule.prototype = WasmModule.prototype;
for (const name of ["exports", "imports", "customSections"]) AdapterModule[name] = WasmModule[name];
const stackTraceLimit = Error.stackTraceLimit;
const loading = (on) => {
  if (on) globalThis.WasmOffsetConverter = {};
  else delete globalThis.WasmOffsetConverter;
  WebAssembly.Module = on ? AdapterModule : WasmModule;
  Error.stackTraceLimit = on ? 0 : stackTraceLimit;
};

const { loadPyodide } = await import("file://" + init.indexPath + "pyodide.mjs");
const { default: createPyodideModule } = await import("file://" + init.indexPath + "pyodide.asm.mjs");
let py;
try {
  loading(true);
  if (init.makeSnapshot) {
    py = await loadPyodide({
      indexURL: init.indexPath,
      lockFileContents: init.lockFile,
      createPyodideModule: fromSharedModule,
      _makeSnapshot: true,
      stdout: () => {},
      stderr: () => {},
    });
    loading(false);
    mountPackages(py.FS);
    py.runPython(${JSON.stringify(NOTEBOOK_PY + QWEN_PY)});
    py.runPython("import sys\\nsys.setrecursionlimit(" + init.recursionLimit + ")" +
      (init.packagesDir ? "\\nsys.path.insert(0, '/packages')" : ""));
    for (const name of init.prewarm) py.runPython("import " + name);
    const snapshot = py.makeMemorySnapshot();
    port.postMessage({ snapshot }, [snapshot.buffer]);
  } else {
    py = await loadPyodide({
      indexURL: init.indexPath,
      lockFileContents: init.lockFile,
      createPyodideModule: fromSharedModule,
      _loadSnapshot: init.snapshot,
      fsInit: async (FS) => mountPackages(FS),
      stdout: () => {},
      stderr: () => {},
    });
    loading(false);
    py.setStdin({ error: true });
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
