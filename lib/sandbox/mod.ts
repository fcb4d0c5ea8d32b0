/**
 * The code sandbox: model-written Python (Pyodide) and JavaScript run in a pool of Deno
 * subprocesses with the fewest permissions that work, with per-trajectory sessions, output caps,
 * memory caps and wall-time limits enforced by killing the process.
 *
 * @module
 */
export * from "./types.ts";
export * from "./sandbox.ts";
export * from "./python_packages.ts";
export { WorkerProcess } from "./worker_process.ts";
