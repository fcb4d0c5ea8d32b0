import type { Language } from "./languages.ts";
/**
 * The protocol between the pool and a worker process: JSON lines over a private channel (a Unix
 * socket the worker connects to once at start; see worker_process.ts). Cell code never runs where
 * the channel is reachable, and the worker's stdout and stderr are only drained, so nothing a cell
 * writes can forge, delay or drop an answer.
 */

import type { PythonSessionInit } from "./_python_session.ts";

/** How a cell runs in its interpreter (see _python_cells.ts). */
export type ExecMode = "notebook" | "qwen";

/** The first message on a Deno worker's channel: what its host needs to start sessions. */
export interface HostSettings {
  language: Language;
  /** Session isolates kept started ahead of need. */
  spares: number;
  /** Folders a session isolate may read (Python: the pyodide package and the packages folder). */
  readable: string[];
  /** Memory a session may keep between cells (its JS heap, ArrayBuffers and WASM memory), MiB. */
  memoryMiB: number;
  python?: Omit<PythonSessionInit, "makeSnapshot" | "snapshot" | "module" | "memoryMiB"> & {
    /** The snapshot file to start sessions from (read by the host only)... */
    snapshotPath?: string;
    /** ...or the file to write the snapshot it makes to (the host's only write). */
    snapshotOut?: string;
  };
}

/** A request to a worker process. */
export type WorkerRequest =
  | {
    op: "exec";
    id: number;
    code: string;
    /** Cells of one session share an interpreter; absent = a fresh interpreter for this cell. */
    session?: string;
    outputCap: number;
    timeoutMs: number;
    /** How the cell runs: the notebook's way (default), or Qwen2.5-Math's executor's. */
    mode?: ExecMode;
  }
  | { op: "end"; session: string };

/** An answer of a worker process: its ready signal, or the result of one cell. */
export interface WorkerAnswer {
  id?: number;
  ready?: boolean;
  status?: "ok" | "error" | "timeout" | "limit" | "killed";
  stdout?: string;
  stderr?: string;
  error?: string | null;
  truncated?: boolean;
  /** The text shown to the model, when the mode formats it itself (qwen). */
  output?: string;
  /** Wall time of the cell in its interpreter (not counting the interpreter's start). */
  durationMs?: number;
}

/** Splits a byte stream into JSON values, one per line. */
export async function* readJsonLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  let pending = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim()) yield JSON.parse(line);
    }
  }
}

/** Encodes one message as a JSON line. */
export function jsonLine(message: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message) + "\n");
}
