// A small ONNX graph builder: value names in, encoded ModelProto bytes out.
// Inputs and outputs carry an element type and no shape, so one session serves every shape.
import { ATTR_TYPE, ONNX_DTYPE, modelProto, type OnnxDType } from "./schema.js";

export type AttrValue = number | string | number[] | { float: number } | { floats: number[] };

/** Default opset: 23 brings RMSNormalization, RotaryEmbedding and Attention. */
export const DEFAULT_OPSET = 23;

interface NodeRec {
  opType: string;
  input: string[];
  output: string[];
  attribute: object[];
  name: string;
}

function encodeAttr(name: string, v: AttrValue): object {
  if (typeof v === "string") return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: ${v} is not an integer; use { float: ${v} }`);
    return { name, type: ATTR_TYPE.INT, i: v };
  }
  if (Array.isArray(v)) return { name, type: ATTR_TYPE.INTS, ints: v };
  if ("float" in v) return { name, type: ATTR_TYPE.FLOAT, f: v.float };
  return { name, type: ATTR_TYPE.FLOATS, floats: v.floats };
}

function rawBytes(dtype: OnnxDType, values: ArrayLike<number> | ArrayLike<bigint>): Uint8Array {
  let arr: ArrayBufferView;
  switch (dtype) {
    case "float32": arr = Float32Array.from(values as ArrayLike<number>); break;
    case "float64": arr = Float64Array.from(values as ArrayLike<number>); break;
    case "int32": arr = Int32Array.from(values as ArrayLike<number>); break;
    case "int64": arr = BigInt64Array.from(Array.from(values as ArrayLike<number>, (x) => BigInt(x))); break;
    case "uint8": case "bool": arr = Uint8Array.from(values as ArrayLike<number>); break;
  }
  return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}

export class Graph {
  private nodes: NodeRec[] = [];
  private inputs: { name: string; dtype: OnnxDType }[] = [];
  private outputs: { name: string; dtype: OnnxDType }[] = [];
  private inits: object[] = [];
  private counter = 0;

  /** A graph input of the given element type (any shape). Returns its name. */
  input(name: string, dtype: OnnxDType = "float32"): string {
    this.inputs.push({ name, dtype });
    return name;
  }

  /** A constant tensor stored in the graph. Returns its name. */
  constant(values: number[], dims: number[], dtype: OnnxDType = "int64"): string {
    const name = `const_${this.counter++}`;
    this.inits.push({ name, dims, dataType: ONNX_DTYPE[dtype], rawData: rawBytes(dtype, values) });
    return name;
  }

  /** A scalar constant ([] dims). */
  scalar(value: number, dtype: OnnxDType = "float32"): string {
    return this.constant([value], [], dtype);
  }

  /** Adds a node; returns the names of its outputs ("" as an input means "absent"). */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, nOut = 1): string[] {
    const id = this.counter++;
    const output = Array.from({ length: nOut }, (_, k) => `${opType.toLowerCase()}_${id}_${k}`);
    const attribute = Object.entries(attrs).map(([k, v]) => encodeAttr(k, v));
    this.nodes.push({ opType, input: inputs, output, attribute, name: `${opType}_${id}` });
    return output;
  }

  /** Adds a single-output node and returns its output name. */
  op1(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    return this.op(opType, inputs, attrs, 1)[0]!;
  }

  /** Declares a graph output under a public name (an Identity node renames it). */
  output(value: string, name: string, dtype: OnnxDType = "float32"): void {
    this.nodes.push({ opType: "Identity", input: [value], output: [name], attribute: [], name: `out_${name}` });
    this.outputs.push({ name, dtype });
  }

  /** Encodes the ModelProto. */
  encode(opset = DEFAULT_OPSET): Uint8Array {
    const info = (v: { name: string; dtype: OnnxDType }) => ({
      name: v.name,
      type: { tensorType: { elemType: ONNX_DTYPE[v.dtype] } },
    });
    const Model = modelProto();
    // a plain object of the message's shape encodes directly (fromObject would compile a converter)
    const msg = {
      irVersion: 10,
      producerName: "llmdrill",
      opsetImport: [{ domain: "", version: opset }],
      graph: {
        name: "oracle",
        node: this.nodes,
        initializer: this.inits,
        input: this.inputs.map(info),
        output: this.outputs.map(info),
      },
    };
    return Model.encode(msg).finish();
  }
}
