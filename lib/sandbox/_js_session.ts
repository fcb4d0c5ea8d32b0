/**
 * One JavaScript session: a session isolate of its own (see _lockdown.ts), in a worker process
 * started with no permission but `sys`, which the isolate needs to attach V8's inspector to itself
 * and revokes before the first cell.
 *
 * Cells are evaluated the way Deno's REPL evaluates them, through the inspector's
 * `Runtime.evaluate` in REPL mode: top-level `await` works, `let`, `const` and `class`
 * declarations persist into the next cell, and the completion value of the cell is printed (after
 * awaiting it when it is a promise), as before. console output is captured up to the cap.
 */
import { LOCKDOWN_SOURCE } from "./_lockdown.ts";

/** The isolate's source, plain JavaScript. */
export const JS_SESSION_SOURCE = `${LOCKDOWN_SOURCE}
const { port, memoryMiB } = await firstMessage;
const inspect = Deno.inspect;
const inspector = process.getBuiltinModule("inspector");
const session = new inspector.Session();
session.connect();
Deno.permissions.revokeSync({ name: "sys" });
const post = (method, params) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result)))
  );

let output = [];
let size = 0;
let cap = 400;
let truncated = false;
const write = (...args) => {
  const line = args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" ") + "\\n";
  const room = cap - size;
  if (room > 0) {
    output.push(line.slice(0, room));
    size += Math.min(line.length, room);
  }
  if (line.length > Math.max(room, 0)) truncated = true;
};
for (const method of ["log", "info", "warn", "error", "debug", "trace"]) {
  Object.defineProperty(console, method, { value: write, writable: true, configurable: true });
}

const PRIMITIVES = { NaN, Infinity, "-Infinity": -Infinity, "-0": -0 };
/** The value an inspector RemoteObject stands for, taken through a one-off global hook. */
const valueOf = async (remote) => {
  if (remote.type === "undefined") return undefined;
  if (!remote.objectId) {
    if ("value" in remote) return remote.value;
    const text = remote.unserializableValue;
    return text.endsWith("n") ? BigInt(text.slice(0, -1)) : PRIMITIVES[text];
  }
  const key = "__tocode_value_" + crypto.randomUUID().replaceAll("-", "");
  let value;
  Object.defineProperty(globalThis, key, { value: (v) => (value = v), configurable: true });
  try {
    await post("Runtime.callFunctionOn", {
      objectId: remote.objectId,
      functionDeclaration: "function () { globalThis." + key + "(this); }",
    });
  } finally {
    delete globalThis[key];
  }
  return value;
};
const describeError = (thrown) =>
  thrown instanceof Error ? thrown.name + ": " + thrown.message : "Uncaught " + String(thrown);

const runCell = async (code) => {
  const evaluated = await post("Runtime.evaluate", {
    expression: code,
    replMode: true,
    awaitPromise: true,
    objectGroup: "cell",
  });
  if (evaluated.exceptionDetails) {
    const thrown = evaluated.exceptionDetails.exception;
    return { status: "error", error: describeError(thrown ? await valueOf(thrown) : undefined) };
  }
  let value = await valueOf(evaluated.result);
  if (value instanceof Promise) {
    try {
      value = await value;
    } catch (error) {
      return { status: "error", error: describeError(error) };
    }
  }
  if (value !== undefined) write(value);
  return { status: "ok", error: null };
};

lockDown();
port.onmessage = async ({ data }) => {
  output = [];
  size = 0;
  truncated = false;
  cap = data.cap;
  let result;
  try {
    result = await runCell(data.code);
    await post("Runtime.releaseObjectGroup", { objectGroup: "cell" });
  } catch (error) {
    result = { status: "error", error: describeError(error) };
  }
  const answer = { ...result, stdout: output.join(""), stderr: "", truncated };
  port.postMessage(await finishCell(answer, memoryMiB));
};
port.postMessage({ ready: true, heldMiB: heldMiB() });
`;
