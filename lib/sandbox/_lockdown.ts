/**
 * The prelude of every session isolate (a Web Worker inside a worker process, one per session).
 * It runs before the interpreter loads and before any cell, and gives the session's code a realm
 * with no way out of its cell:
 *
 * - The host talks to the isolate over a MessagePort handed over in the first message, held here
 *   in module scope. Cell code cannot post an answer (so it cannot end its cell early and keep
 *   running) nor read the host's messages.
 * - Every timer a cell starts is tracked and cleared when the cell ends, and the answer waits for
 *   the microtask queue to drain: no callback of a cell runs after its answer. A cell whose
 *   promises never settle does not answer, and its wall timeout ends the isolate.
 * - What could start work that outlives a cell, reach other sessions or the host, or keep state
 *   across runs is removed from the realm: Deno's internals (core ops), `process` (node built-ins
 *   by `getBuiltinModule`), workers, message channels, finalizers, web storage and caches, the
 *   process's stdio and exit.
 *
 * Kept as a string: the isolate starts from a blob URL, never from a module file (a module file
 * may `import()` local files without read permission).
 */
export const LOCKDOWN_SOURCE = `
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
const realClearTimeout = globalThis.clearTimeout;
const liveTimers = new Set();
const asHandler = (handler) => typeof handler === "function" ? handler : () => (0, eval)(String(handler));
const trackedSetTimeout = (handler, delay, ...args) => {
  const fn = asHandler(handler);
  const id = realSetTimeout(() => { liveTimers.delete(id); fn(...args); }, delay);
  liveTimers.add(id);
  return id;
};
const trackedSetInterval = (handler, delay, ...args) => {
  const id = realSetInterval(asHandler(handler), delay, ...args);
  liveTimers.add(id);
  return id;
};
const trackedClear = (id) => { liveTimers.delete(id); realClearTimeout(id); };

// Zero-delay tasks (Node's setImmediate, which Pyodide's event loop uses) go through a private
// message channel: a macrotask after the microtasks, without the millisecond a timer costs.
const immediates = new Map();
let nextImmediate = 0;
const tasks = new MessageChannel();
tasks.port1.onmessage = ({ data }) => {
  const task = immediates.get(data);
  immediates.delete(data);
  task?.();
};
const setImmediateTracked = (handler, ...args) => {
  const id = "immediate-" + nextImmediate++;
  immediates.set(id, () => handler(...args));
  tasks.port2.postMessage(id);
  return id;
};
const clearImmediateTracked = (id) => immediates.delete(id);

const timerApi = {
  setTimeout: trackedSetTimeout,
  setInterval: trackedSetInterval,
  clearTimeout: trackedClear,
  clearInterval: trackedClear,
  setImmediate: setImmediateTracked,
  clearImmediate: clearImmediateTracked,
};
for (let scope = globalThis; scope; scope = Object.getPrototypeOf(scope)) {
  for (const [name, fn] of Object.entries(timerApi)) {
    if (Object.hasOwn(scope, name)) Object.defineProperty(scope, name, { value: fn, writable: true, configurable: true });
  }
}
AbortSignal.timeout = (ms) => {
  const controller = new AbortController();
  trackedSetTimeout(() => controller.abort(new DOMException("The signal timed out", "TimeoutError")), ms);
  return controller.signal;
};

/** Ends the work of a cell: clears its timers, then resolves once its microtasks have drained. */
const endCellWork = () => {
  for (const id of liveTimers) realClearTimeout(id);
  liveTimers.clear();
  immediates.clear();
  return new Promise((resolve) => setImmediateTracked(resolve));
};

const memoryUsage = Deno.memoryUsage;
const collectGarbage = globalThis.gc;
const heldMiB = () => {
  const usage = memoryUsage();
  return (usage.heapUsed + usage.external) / 2 ** 20;
};
/**
 * Ends a cell: its leftover work ended (endCellWork), then the answer with what the session now
 * holds (JS heap, ArrayBuffers, WASM memory, counted after a collection when it is over the cap:
 * garbage does not count). A session holding more than its cap gets status "limit", and the host
 * ends its isolate.
 */
const finishCell = async (answer, capMiB) => {
  await endCellWork();
  let held = heldMiB();
  if (held > capMiB) {
    collectGarbage();
    held = heldMiB();
  }
  if (held <= capMiB) return { ...answer, heldMiB: held };
  return {
    ...answer,
    status: "limit",
    error: "MemoryError: the session holds more than " + capMiB + " MiB",
    broken: true,
  };
};

/** The host's port arrives with the first message: { port, ...init }. */
const firstMessage = new Promise((resolve) => {
  self.onmessage = (event) => {
    self.onmessage = null;
    resolve(event.data);
  };
});

const hide = (object, key) => {
  try {
    delete object[key];
  } catch {
    // not configurable: redefined below where possible
  }
  try {
    Object.defineProperty(object, key, { value: undefined, writable: false, configurable: false });
  } catch {
    // a non-configurable property left by the runtime: its test says whether it matters
  }
};

/** Removes every way out of the realm; called once the interpreter is loaded, before any cell. */
const lockDown = () => {
  hide(Deno, Deno.internal);
  for (const key of ["stdin", "stdout", "stderr", "exit"]) hide(Deno, key);
  for (
    const key of [
      "process", "Worker", "SharedWorker", "BroadcastChannel", "MessageChannel", "MessagePort",
      "FinalizationRegistry", "caches", "localStorage", "sessionStorage", "postMessage", "close",
      "onmessage", "gc",
    ]
  ) {
    for (let scope = globalThis; scope; scope = Object.getPrototypeOf(scope)) {
      if (Object.hasOwn(scope, key)) hide(scope, key);
    }
  }
  hide(Atomics, "waitAsync");
};
`;
