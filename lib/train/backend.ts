import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareWasmThreads } from "./_wasm_threads.ts";
import { registerWasmSliceKernels } from "./_wasm_slice.ts";

/** Backends the trainer runs on. */
export type BackendName = "auto" | "wasm" | "webgpu" | "cpu" | "node-gpu";

/** Threads the wasm backend uses in this process (1 until a threaded start). */
export function wasmThreads(): number {
  const backend = tf.findBackend("wasm") as
    | { wasm?: { tfjs?: { getThreadsCount(): number } } }
    | null;
  return backend?.wasm?.tfjs?.getThreadsCount() ?? 1;
}

/** Names accepted by {@linkcode initBackend}, for flags. */
export const backendNames = ["auto", "wasm", "webgpu", "cpu", "node-gpu"] as const;

/** What Deno's WebGPU reports about its adapter. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software rasteriser (llvmpipe, SwiftShader): correct, but slower than wasm. */
  software: boolean;
}

/**
 * Selects the TensorFlow.js backend: `webgpu` when asked for (or, with `auto`, when Deno's WebGPU
 * finds a hardware adapter), else `wasm` (SIMD; ~20× the pure-JS `cpu` backend). `node-gpu`
 * loads `@tensorflow/tfjs-node-gpu` only when the user installed it. `threads` > 1 starts wasm's
 * threaded build (XNNPACK's thread pool) when wasm has not started yet in this process. Returns
 * the backend in use.
 */
export async function initBackend(
  name: BackendName = "auto",
  options: { threads?: number } = {},
): Promise<string> {
  const adapter = name === "auto" || name === "webgpu" ? await gpuAdapterInfo() : undefined;
  if (name === "webgpu" || (name === "auto" && adapter && !adapter.software)) {
    if (!adapter) throw new Error("Cannot use the webgpu backend: Deno's WebGPU found no adapter");
    await import("@tensorflow/tfjs-backend-webgpu");
    if (await tf.setBackend("webgpu")) return "webgpu";
    throw new Error(`Cannot use the webgpu backend: it failed to start (${adapter.description})`);
  }
  if (name === "node-gpu") return await initNodeGpu();
  if (name === "cpu") {
    await tf.setBackend("cpu");
    return "cpu";
  }
  setWasmPaths(dirname(fileURLToPath(import.meta.resolve("@tensorflow/tfjs-backend-wasm"))) + "/");
  const threads = options.threads ?? 1;
  const started = tf.findBackend("wasm") !== null;
  const restore = threads > 1 && !started ? prepareWasmThreads(threads) : undefined;
  try {
    if (!(await tf.setBackend("wasm"))) {
      throw new Error("Cannot use the wasm backend: it failed to start");
    }
  } finally {
    restore?.();
  }
  registerWasmSliceKernels();
  return "wasm";
}

/** wasm threads when a task is not told: one per core, at most 8 (the tasks' `--threads` bound). */
export function defaultWasmThreads(): number {
  return Math.min(8, navigator.hardwareConcurrency);
}

/** The WebGPU adapter Deno finds (a software one included), or undefined when there is none. */
export async function gpuAdapterInfo(): Promise<GpuAdapterInfo | undefined> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return undefined;
  // mesa's Vulkan loader prints an error for a missing runtime folder (a bare shell, CI).
  if (Deno.build.os === "linux" && !Deno.env.get("XDG_RUNTIME_DIR")) {
    Deno.env.set("XDG_RUNTIME_DIR", Deno.makeTempDirSync({ prefix: "tocode-runtime-" }));
  }
  try {
    const adapter = await gpu.requestAdapter() as
      | { info?: Partial<GpuAdapterInfo> & { isFallbackAdapter?: boolean } }
      | null;
    if (!adapter) return undefined;
    // GPUAdapterInfo's fields are getters (JSON.stringify sees none): read them one by one.
    const info = adapter.info ?? {};
    const out = {
      vendor: String(info.vendor ?? ""),
      architecture: String(info.architecture ?? ""),
      device: String(info.device ?? ""),
      description: String(info.description ?? ""),
    };
    const text = Object.values(out).join(" ");
    return {
      ...out,
      software: info.isFallbackAdapter === true ||
        /llvmpipe|lavapipe|swiftshader|software/i.test(text),
    };
  } catch {
    return undefined;
  }
}

async function initNodeGpu(): Promise<string> {
  // Not a dependency of the project (its install downloads libtensorflow for CUDA 11): a
  // computed specifier keeps it out of the module graph unless asked for.
  const specifier = ["npm:@tensorflow", "tfjs-node-gpu"].join("/");
  try {
    await import(specifier);
  } catch (error) {
    throw new Error(
      `Cannot use the node-gpu backend: @tensorflow/tfjs-node-gpu is not installed or failed to load (${
        (error as Error).message.split("\n")[0]
      })`,
    );
  }
  if (!(await tf.setBackend("tensorflow"))) {
    throw new Error("Cannot use the node-gpu backend: tfjs-node-gpu did not register its backend");
  }
  return "tensorflow";
}
