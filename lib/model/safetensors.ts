/** A tensor read from or written to a safetensors file: float32 data in row-major order. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** Options of {@linkcode encodeSafetensors}. */
export interface EncodeSafetensorsOptions {
  /** String key/values stored in the header's `__metadata__` (e.g. `{ format: "pt" }`). */
  metadata?: Record<string, string>;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Serialises tensors to the safetensors format (F32), tensors in sorted name order as the
 * reference implementation writes them.
 *
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
 * const bytes = encodeSafetensors(new Map([["w", { shape: [2], data: new Float32Array([1, 2]) }]]));
 * const back = decodeSafetensors(bytes).get("w")!;
 * if (back.data[1] !== 2) throw new Error("round trip failed");
 * ```
 */
export function encodeSafetensors(
  tensors: Map<string, Tensor>,
  options: EncodeSafetensorsOptions = {},
): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (options.metadata) header.__metadata__ = options.metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length) {
      throw new RangeError(
        `Cannot encode tensor ${name}: shape [${t.shape}] needs ${expected} values, got ${t.data.length} (safetensors)`,
      );
    }
    const bytes = t.data.length * 4;
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  const pad = (8 - ((8 + encoder.encode(json).length) % 8)) % 8;
  json += " ".repeat(pad);
  const headerBytes = encoder.encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors.get(name)!;
    // Float32Array bytes are little-endian on every platform Deno runs on.
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.length * 4), at);
    at += t.data.length * 4;
  }
  return out;
}

/**
 * Parses a safetensors file into float32 tensors; F32, F16 and BF16 are read (others refused).
 *
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
 * const t = { shape: [1, 3], data: new Float32Array([0.5, -1, 3]) };
 * const back = decodeSafetensors(encodeSafetensors(new Map([["x", t]]))).get("x")!;
 * if (back.shape.join() !== "1,3") throw new Error("shape lost");
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): Map<string, Tensor> {
  if (bytes.length < 8) throw new RangeError("Cannot read safetensors: file shorter than 8 bytes");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) {
    throw new RangeError(`Cannot read safetensors: header length ${headerLength} exceeds the file`);
  }
  const header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headerLength))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLength;
  const out = new Map<string, Tensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const [start, end] = info.data_offsets;
    const count = info.shape.reduce((a, b) => a * b, 1);
    const raw = bytes.subarray(base + start, base + end);
    out.set(name, { shape: info.shape, data: toFloat32(raw, info.dtype, count, name) });
  }
  return out;
}

function toFloat32(raw: Uint8Array, dtype: string, count: number, name: string): Float32Array {
  const width = dtype === "F32" ? 4 : dtype === "F16" || dtype === "BF16" ? 2 : 0;
  if (width === 0) {
    throw new TypeError(`Cannot read tensor ${name}: dtype ${dtype} is not F32, F16 or BF16`);
  }
  if (raw.length !== count * width) {
    throw new RangeError(
      `Cannot read tensor ${name}: ${raw.length} bytes do not hold ${count} ${dtype} values`,
    );
  }
  // Copy into a fresh buffer: the data may not be 4-byte aligned inside the file.
  const copy = raw.slice();
  if (dtype === "F32") return new Float32Array(copy.buffer, 0, count);
  const halves = new Uint16Array(copy.buffer, 0, count);
  const out = new Float32Array(count);
  if (dtype === "BF16") {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) bits[i] = halves[i] << 16;
  } else {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(halves[i]);
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (mantissa / 1024);
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}

/** Reads a safetensors file from disk into float32 tensors. */
export async function readSafetensors(path: string | URL): Promise<Map<string, Tensor>> {
  return decodeSafetensors(await Deno.readFile(path));
}

/** Writes float32 tensors to a safetensors file (with `format: "pt"` metadata, as HF expects). */
export async function writeSafetensors(
  path: string | URL,
  tensors: Map<string, Tensor>,
  options: EncodeSafetensorsOptions = {},
): Promise<void> {
  await Deno.writeFile(
    path,
    encodeSafetensors(tensors, { metadata: { format: "pt", ...options.metadata } }),
  );
}
