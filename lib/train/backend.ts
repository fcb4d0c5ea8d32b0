import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** Backends the trainer runs on. */
export type BackendName = "auto" | "wasm" | "webgpu" | "cpu";

/**
 * Selects the TensorFlow.js backend: `webgpu` when asked for (or, with `auto`, when Deno exposes a
 * GPU adapter: run with --unstable-webgpu), else `wasm` (SIMD; ~20× the pure-JS `cpu` backend).
 * Returns the backend in use.
 */
export async function initBackend(name: BackendName = "auto"): Promise<string> {
  if (name === "webgpu" || (name === "auto" && await hasGpuAdapter())) {
    await import("@tensorflow/tfjs-backend-webgpu");
    if (await tf.setBackend("webgpu")) return "webgpu";
    if (name === "webgpu") {
      throw new Error("Cannot use the webgpu backend: no WebGPU adapter (--unstable-webgpu)");
    }
  }
  if (name === "cpu") {
    await tf.setBackend("cpu");
    return "cpu";
  }
  setWasmPaths(dirname(fileURLToPath(import.meta.resolve("@tensorflow/tfjs-backend-wasm"))) + "/");
  if (!(await tf.setBackend("wasm"))) {
    throw new Error("Cannot use the wasm backend: it failed to start");
  }
  return "wasm";
}

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

async function hasGpuAdapter(): Promise<boolean> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    const adapter = await gpu.requestAdapter() as { info?: AdapterInfo } | null;
    if (adapter === null) return false;
    // A software adapter (llvmpipe) is slower than wasm: only a real GPU counts for `auto`.
    // GPUAdapterInfo's fields are getters (JSON.stringify sees none): read them one by one.
    const info = adapter.info ?? {};
    const text = [info.vendor, info.architecture, info.device, info.description].join(" ");
    return !info.isFallbackAdapter && !/llvmpipe|lavapipe|swiftshader|software/i.test(text);
  } catch {
    return false;
  }
}
