import * as tf from "@tensorflow/tfjs";
import { setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { Worker as NodeWorker } from "node:worker_threads";
import { join } from "node:path";
import { createRequire } from "node:module";

/** A Blob that remembers its text, so it can be written to a file synchronously. */
class TextBlob extends Blob {
  readonly text_: string;
  constructor(parts: BlobPart[], options?: BlobPropertyBag) {
    super(parts, options);
    this.text_ = parts.map(String).join("");
  }
}

/**
 * Deno's worker scope defines these as getters: the glue assigns them (Node style), so give the
 * scope plain writable properties first. The bundled main script names its Node modules
 * require$$N (tfjs-backend-wasm's dist bundle): define them too.
 */
const WORKER_PRELUDE = `var require$$0 = require("fs"), require$$1 = require("path");
var require$$3 = require("perf_hooks"), require$$4 = require("os"), commonjsGlobal = globalThis;
for (const k of ["location", "self", "postMessage", "performance", "Worker"]) {
  try { Object.defineProperty(globalThis, k, { value: globalThis[k], writable: true, configurable: true, enumerable: true }); } catch {}
}
`;

/**
 * Prepares tfjs-backend-wasm's threaded build under Deno, before the backend starts. Deno
 * counts as Node, where tfjs turns threads off; Emscripten's Node glue then starts its pthread
 * workers from blob URLs (the worker script and the main script), which Node-style workers
 * cannot load. So: blobs made while the backend starts are written to files, the pthread workers
 * are `node:worker_threads` workers on those files, and every other `new Worker` still gets
 * Deno's own Worker. Returns a function to call once the backend has started.
 */
export function prepareWasmThreads(threads: number): () => void {
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  setThreadsCount(threads);
  // The wasm module sizes its pool as (logical cores / 2), read once at start through Node's
  // os.cpus() (it assumes two hyperthreads per core): report 2 × threads while it starts.
  const os = createRequire(import.meta.url)("os") as { cpus(): unknown[] };
  const cpus = os.cpus;
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]);
  const dir = Deno.makeTempDirSync({ prefix: "tocode-wasm-threads-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  const files = new Map<Blob, string>();
  const fileOf = (blob: TextBlob) => {
    let path = files.get(blob);
    if (!path) {
      path = join(dir, `script${files.size}.cjs`);
      Deno.writeTextFileSync(path, WORKER_PRELUDE + blob.text_);
      files.set(blob, path);
    }
    return path;
  };
  const ours = new Set<string>();
  const g = globalThis as unknown as Record<string, unknown>;
  const originalBlob = globalThis.Blob;
  const originalCreate = URL.createObjectURL;
  const DenoWorker = globalThis.Worker;
  g.Blob = TextBlob;
  URL.createObjectURL = (blob: Blob) => {
    if (!(blob instanceof TextBlob)) return originalCreate(blob);
    const path = fileOf(blob);
    ours.add(path);
    return path;
  };
  class PthreadWorker extends NodeWorker {
    constructor(path: string) {
      super(path);
      this.unref();
    }
    // A pool thread waits for work forever: never let it keep the process alive.
    override ref() {}
    override postMessage(message: unknown, transfer?: Parameters<NodeWorker["postMessage"]>[1]) {
      const m = message as { urlOrBlob?: unknown };
      // The main script travels as a Blob: send the path of its file instead.
      if (m && m.urlOrBlob instanceof TextBlob) m.urlOrBlob = fileOf(m.urlOrBlob);
      super.postMessage(message, transfer);
    }
  }
  // The glue assigns globalThis.Worker = worker_threads.Worker: keep Deno's Worker for everyone
  // else, and give the glue Node workers for its own scripts only.
  const Hybrid = function (this: unknown, url: string | URL, options?: WorkerOptions) {
    if (typeof url === "string" && ours.has(url)) return new PthreadWorker(url);
    return new DenoWorker(url, options);
  } as unknown as typeof Worker;
  // instanceof Worker still holds for Deno's workers.
  (Hybrid as unknown as { prototype: unknown }).prototype = DenoWorker.prototype;
  Object.defineProperty(globalThis, "Worker", {
    configurable: true,
    get: () => Hybrid,
    set: () => {},
  });
  return () => {
    os.cpus = cpus;
    g.Blob = originalBlob;
    URL.createObjectURL = originalCreate;
  };
}
