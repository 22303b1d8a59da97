// Small tensor helpers for the engine and module specs (never shown to learners as a solution).
import type { AnyTensor, DType, IntTensor, MaskTensor, Tensor, Value } from "./types.js";

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function tensor(data: ArrayLike<number>, shape: number[]): Tensor {
  if (data.length !== numel(shape)) throw new Error(`tensor: ${data.length} values for shape [${shape}]`);
  return { data: Float32Array.from(data), shape: [...shape] };
}

export function intTensor(data: ArrayLike<number>, shape: number[]): IntTensor {
  if (data.length !== numel(shape)) throw new Error(`intTensor: ${data.length} values for shape [${shape}]`);
  return { data: Int32Array.from(data), shape: [...shape] };
}

export function maskTensor(data: ArrayLike<number>, shape: number[]): MaskTensor {
  return { data: Uint8Array.from(data), shape: [...shape] };
}

export function dtypeOf(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint8Array) return "uint8";
  return undefined;
}

/** The name a learner would recognise: Float32Array, Float64Array, Array, ... */
export function kindName(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return "Array";
  if (ArrayBuffer.isView(v)) return Object.prototype.toString.call(v).slice(8, -1);
  if (typeof v === "object") return "object";
  return typeof v;
}

export function isTensorLike(v: unknown): v is AnyTensor {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) &&
    "data" in v && "shape" in v && Object.keys(v).length === 2
  );
}

/** Deep copy of a value (typed arrays copied), for inputs handed to untrusted or trusted code. */
export function cloneValue<V extends Value>(v: V): V {
  return structuredClone(v);
}

/** Strides of a row-major shape. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Flat index to "[1,0,2]". */
export function ndIndex(flat: number, shape: readonly number[]): string {
  if (shape.length === 0) return "[]";
  const st = strides(shape);
  const idx = st.map((s, i) => Math.floor(flat / s) % shape[i]!);
  return `[${idx.join(",")}]`;
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
