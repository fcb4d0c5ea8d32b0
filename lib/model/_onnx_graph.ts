import type { onnx as OnnxTypes } from "onnx-proto";
import onnxProto from "onnx-proto";

// onnx-proto is CommonJS: its namespace is a property of the default export.
const onnx = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;

type Attr = number | number[] | string | OnnxTypes.ITensorProto;

/** A small builder of ONNX graphs: unique value names, nodes, initializers and typed I/O. */
export class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  #count = 0;
  #constants = new Map<string, string>();

  /** Adds a node and returns its output names (one per `outputs`). */
  op(type: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs = 1): string[] {
    const names = Array.from({ length: outputs }, () => `${type.toLowerCase()}_${this.#count++}`);
    this.nodes.push({
      opType: type,
      input: inputs,
      output: names,
      name: `${type}_${this.#count++}`,
      attribute: Object.entries(attrs).map(([name, value]) => attribute(name, value)),
    });
    return names;
  }

  /** Adds a single-output node. */
  op1(type: string, inputs: string[], attrs: Record<string, Attr> = {}): string {
    return this.op(type, inputs, attrs)[0];
  }

  /** Adds a node whose output has a fixed name (graph outputs). */
  named(type: string, inputs: string[], output: string, attrs: Record<string, Attr> = {}): string {
    this.nodes.push({
      opType: type,
      input: inputs,
      output: [output],
      name: `${type}_${this.#count++}`,
      attribute: Object.entries(attrs).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }

  /** Adds a float32 initializer from raw data. */
  float(name: string, dims: number[], data: Float32Array): string {
    this.initializers.push({
      name,
      dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }

  /** An int64 constant initializer, shared between uses of the same values. */
  ints(values: number[]): string {
    const key = `i:${values.join(",")}`;
    let name = this.#constants.get(key);
    if (!name) {
      name = `const_i64_${this.#constants.size}`;
      this.initializers.push({
        name,
        dims: [values.length],
        dataType: onnx.TensorProto.DataType.INT64,
        rawData: new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer),
      });
      this.#constants.set(key, name);
    }
    return name;
  }

  /** A float32 scalar constant initializer, shared between uses of the same value. */
  scalar(value: number): string {
    const key = `f:${value}`;
    let name = this.#constants.get(key);
    if (!name) {
      name = `const_f32_${this.#constants.size}`;
      this.initializers.push({
        name,
        dims: [],
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(new Float32Array([value]).buffer),
      });
      this.#constants.set(key, name);
    }
    return name;
  }

  /** Declares a graph input. */
  input(name: string, elemType: number, dims: (number | string)[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  /** Declares a graph output. */
  output(name: string, elemType: number, dims: (number | string)[]) {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** Serialises the graph as a model with one opset import. */
  encode(options: { name: string; opset: number; producer: string }): Uint8Array {
    const model: OnnxTypes.IModelProto = {
      irVersion: 8,
      producerName: options.producer,
      opsetImport: [{ domain: "", version: options.opset }],
      graph: {
        name: options.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}

function valueInfo(
  name: string,
  elemType: number,
  dims: (number | string)[],
): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function attribute(name: string, value: Attr): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === "number") {
    return Number.isInteger(value)
      ? { name, type: T.INT, i: value }
      : { name, type: T.FLOAT, f: value };
  }
  if (typeof value === "string") {
    return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  }
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  return { name, type: T.TENSOR, t: value };
}
