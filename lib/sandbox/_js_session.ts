/**
 * One JavaScript session: a Web Worker inside the permission-less JS worker process, started
 * from a blob URL (the process may read no file, not even this one). Code comes as a string and
 * is evaluated in the worker's global scope (never written to a module file: a module file could
 * `import()` local files without read permission). Each session has its own isolate, so globals
 * and prototypes do not leak between sessions.
 */

/** The worker's source, plain JavaScript. */
export const SESSION_SOURCE = `
const post = self.postMessage.bind(self);
// Cell code must not read the pool's requests, nor start workers of its own.
Object.defineProperty(Deno, "stdin", { value: undefined });
Object.defineProperty(globalThis, "Worker", { value: undefined });

let output = [];
let size = 0;
let cap = 400;
let truncated = false;
const write = (...args) => {
  const line = args.map((a) => (typeof a === "string" ? a : Deno.inspect(a))).join(" ") + "\\n";
  const room = cap - size;
  if (room > 0) {
    output.push(line.slice(0, room));
    size += Math.min(line.length, room);
  }
  if (line.length > Math.max(room, 0)) truncated = true;
};
for (const method of ["log", "info", "warn", "error", "debug"]) {
  Object.defineProperty(console, method, { value: write });
}
const indirectEval = eval;

self.onmessage = async (event) => {
  output = [];
  size = 0;
  truncated = false;
  cap = event.data.cap;
  try {
    let value = indirectEval(event.data.code);
    if (value instanceof Promise) value = await value;
    if (value !== undefined) write(value);
    post({ status: "ok", stdout: output.join(""), error: null, truncated });
  } catch (error) {
    const message = error instanceof Error
      ? error.name + ": " + error.message
      : "Uncaught " + String(error);
    post({ status: "error", stdout: output.join(""), error: message, truncated });
  }
};
`;
