/**
 * The code sandbox: model-written Python (Pyodide) and JavaScript run in a pool of worker
 * processes with the fewest permissions that work and no import that leaves them. Every session
 * (one per trajectory) has an interpreter of its own that no other cell can reach; output caps,
 * memory caps that count all memory, and wall-time limits end the cell's interpreter or process.
 * See docs/sandbox.md for the threat model.
 *
 * @module
 */
export * from "./types.ts";
export * from "./sandbox.ts";
export * from "./python_packages.ts";
export { WorkerProcess } from "./worker_process.ts";
export * from "./parse_cells.ts";
export * from "./options.ts";
export * from "./provenance.ts";
export * from "./qwen_semantics.ts";
export * from "./languages.ts";
