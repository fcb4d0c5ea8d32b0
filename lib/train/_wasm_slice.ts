import * as tf from "@tensorflow/tfjs";

interface WasmBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(id: unknown): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/**
 * A contiguous slice copied inside the wasm heap. tfjs-backend-wasm's own Slice reads the whole
 * input out of the heap first (`readSync` copies it), so unstacking [16, 512, 256] into 16
 * pieces copied 128 MB (70 ms); this copies 8 MB. Undefined when the slice is not contiguous.
 */
function contiguousSlice(
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
  backend: WasmBackend,
): tf.TensorInfo | undefined {
  if (x.dtype === "string") return undefined;
  const [start, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  if (!tf.slice_util.isSliceContinous(x.shape, start, extent)) return undefined;
  const out = backend.makeOutput(extent, x.dtype);
  const n = tf.util.sizeFromShape(extent);
  if (n === 0) return out;
  const bytes = tf.util.bytesPerElement(x.dtype);
  const offset = tf.slice_util.computeFlatOffset(start, tf.util.computeStrides(x.shape));
  const from = backend.dataIdMap.get(x.dataId).memoryOffset + offset * bytes;
  const to = backend.dataIdMap.get(out.dataId).memoryOffset;
  // Read the heap view after makeOutput: allocating may have grown (replaced) it.
  backend.wasm.HEAPU8.copyWithin(to, from, from + n * bytes);
  return out;
}

let registered = false;

/** Replaces the wasm backend's Slice and Unpack kernels with ones that copy only the slice. */
export function registerWasmSliceKernels(): void {
  if (registered) return;
  registered = true;
  const slice = tf.getKernel("Slice", "wasm")!;
  const unpack = tf.getKernel("Unpack", "wasm")!;
  tf.unregisterKernel("Slice", "wasm");
  tf.registerKernel({
    ...slice,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
      return contiguousSlice(x, begin, size, args.backend as unknown as WasmBackend) ??
        slice.kernelFunc(args);
    },
  });
  tf.unregisterKernel("Unpack", "wasm");
  tf.registerKernel({
    ...unpack,
    kernelFunc: (args) => {
      const { value } = args.inputs as { value: tf.TensorInfo };
      const axis = ((args.attrs as unknown as { axis: number }).axis + value.shape.length) %
        value.shape.length;
      if (axis !== 0) return unpack.kernelFunc(args);
      const backend = args.backend as unknown as WasmBackend;
      const rest = value.shape.slice(1);
      const outs: tf.TensorInfo[] = [];
      for (let i = 0; i < value.shape[0]; i++) {
        const piece = contiguousSlice(value, [i, ...rest.map(() => 0)], [1, ...rest], backend)!;
        outs.push({ dataId: piece.dataId, dtype: piece.dtype, shape: rest });
      }
      return outs;
    },
  });
}
