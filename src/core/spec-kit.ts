// Building blocks for module specs: cases from named arguments, float64 oracle graphs.
import { Graph } from "../onnx/graph.js";
import type { Case, OracleModel, TolMap, Value } from "./types.js";

/** A case from arguments given in call order. */
export function mkCase(name: string, fn: string, args: Record<string, Value>, tol: TolMap, expectThrows = false): Case {
  return { name, fn, args: Object.entries(args).map(([n, value]) => ({ name: n, value })), tol, ...(expectThrows ? { expectThrows } : {}) };
}

/** The argument of a case by name. */
export function arg<T extends Value>(c: Case, name: string): T {
  const a = c.args.find((x) => x.name === name);
  if (!a) throw new Error(`case "${c.name}" has no argument ${name}`);
  return a.value as T;
}

/** An oracle model from a graph-building function, encoded once per process. */
export function model(key: string, build: (g: Graph) => void, opset?: number): OracleModel {
  let bytes: Uint8Array | undefined;
  return {
    key,
    build() {
      if (!bytes) {
        const g = new Graph();
        build(g);
        bytes = g.encode(opset);
      }
      return bytes;
    },
  };
}

export const TO_DOUBLE = 11;
export const TO_FLOAT = 1;

/** Cast a float32 graph value to float64 (oracles compute in double where ORT has the kernel). */
export const f64 = (g: Graph, v: string) => g.op1("Cast", [v], { to: TO_DOUBLE });
/** Cast back to float32 for the output. */
export const f32 = (g: Graph, v: string) => g.op1("Cast", [v], { to: TO_FLOAT });

/** Float32 rows of a tensor viewed as [rows, last]. */
export function rowsOf(shape: readonly number[]): { rows: number; n: number } {
  const n = shape[shape.length - 1] ?? 1;
  const total = shape.reduce((a, b) => a * b, 1);
  return { rows: n === 0 ? 0 : total / n, n };
}
