// Oracle graph pieces shared by the sampling modules (028 greedy/temperature, 029 top-k, 030 top-p).
// Scalars that the learner holds as float64 (u, tau, p) are fed as a float32 [hi, lo] pair and summed
// in float64 inside the graph, so the oracle sees them to about 1e-15, not rounded to float32.
import { f64 } from "../../src/core/spec-kit.ts";
import type { Graph } from "../../src/onnx/graph.ts";
import type { IntTensor, Tensor } from "../../src/core/types.ts";

/** A float64 number as a float32 [hi, lo] pair (hi + lo recovers it to ~48 bits). */
export function split64(x: number): Tensor {
  const hi = Math.fround(x);
  const lo = Math.fround(x - hi);
  return { data: Float32Array.of(hi, lo), shape: [2] };
}

/** An integer as an int32 [1] tensor (cast to int64 inside the graph). */
export function int1(k: number): IntTensor {
  return { data: Int32Array.of(k), shape: [1] };
}

/** A graph input fed by split64, as a float64 scalar. */
export function scalar64(g: Graph, name: string): string {
  return g.op1("ReduceSum", [f64(g, g.input(name))], { keepdims: 0 });
}

/** A graph input fed by int1, as an int64 [1] tensor. */
export function int64In(g: Graph, name: string): string {
  return g.op1("Cast", [g.input(name, "int32")], { to: 7 });
}

/** -Infinity broadcast to the shape of x (float64). */
export function negInfLike(g: Graph, x: string): string {
  return g.op1("Expand", [g.scalar(-Infinity, "float64"), g.op1("Shape", [x])]);
}

/** Keeps the top k of a float64 [V] vector (ties to the lower index, as ONNX TopK), -Infinity elsewhere. */
export function topKKeep(g: Graph, x: string, k: string): string {
  const kEff = g.op1("Min", [k, g.op1("Shape", [x])]);
  const [vals, idx] = g.op("TopK", [x, kEff], { axis: -1, largest: 1, sorted: 1 }, 2);
  return g.op1("ScatterElements", [negInfLike(g, x), idx!, vals!], { axis: 0 });
}

/**
 * Keeps the smallest descending prefix of x (float64 [V]) whose softmax mass reaches p (the crossing token
 * included), at least minKeep tokens, every token when p >= 1; -Infinity elsewhere. Sorting is ONNX TopK with
 * k = V (ties to the lower index).
 */
export function topPKeep(g: Graph, x: string, p: string, minKeep: string): string {
  const V = g.op1("Shape", [x]);
  const [sv, si] = g.op("TopK", [x, V], { axis: -1, largest: 1, sorted: 1 }, 2);
  const probs = g.op1("Softmax", [sv!], { axis: -1 });
  const before = g.op1("CumSum", [probs, g.scalar(0, "int64")], { exclusive: 1 });
  let keep = g.op1("Less", [before, p]);
  keep = g.op1("Or", [keep, g.op1("GreaterOrEqual", [p, g.scalar(1, "float64")])]);
  const rank = g.op1("Range", [g.scalar(0, "int64"), g.op1("Squeeze", [V, g.constant([0], [1])]), g.scalar(1, "int64")]);
  keep = g.op1("Or", [keep, g.op1("Less", [rank, minKeep])]);
  const kept = g.op1("Where", [keep, sv!, g.scalar(-Infinity, "float64")]);
  return g.op1("ScatterElements", [negInfLike(g, x), si!, kept], { axis: 0 });
}

/**
 * Inverse CDF draw from float64 probabilities [V] with u (float64 scalar): the smallest i with
 * cumsum_i > u, i.e. the count of cumulative sums <= u; when that runs past the end (the total is at or
 * below u), the last index with positive probability. Returns an int64 scalar.
 */
export function inverseCdf(g: Graph, probs: string, u: string): string {
  const c = g.op1("CumSum", [probs, g.scalar(0, "int64")]);
  const count = g.op1("ReduceSum", [g.op1("Cast", [g.op1("LessOrEqual", [c, u])], { to: 7 })], { keepdims: 0 });
  const positive = g.op1("Cast", [g.op1("Greater", [probs, g.scalar(0, "float64")])], { to: 11 });
  const lastPositive = g.op1("ArgMax", [positive], { axis: 0, keepdims: 0, select_last_index: 1 });
  return g.op1("Min", [count, lastPositive]);
}

/** ONNX ArgMax over [V] (select_last_index 0: ties to the lowest index). Returns an int64 scalar. */
export function argMax(g: Graph, x: string): string {
  return g.op1("ArgMax", [x], { axis: 0, keepdims: 0, select_last_index: 0 });
}

/** The id an int64 scalar output holds. */
export function idOf(t: { data: ArrayLike<number> }): number {
  return Number(t.data[0]);
}

/**
 * A draw u in [0, 1) at least `margin` away from every cumulative sum of probs, so that float32 rounding
 * of the probabilities cannot move the answer across a boundary.
 */
export function safeU(next: () => number, probs: ArrayLike<number>, margin = 1e-5): number {
  const cums: number[] = [];
  let c = 0;
  for (let i = 0; i < probs.length; i++) cums.push((c += probs[i]!));
  for (let tries = 0; tries < 1000; tries++) {
    const u = next();
    if (cums.every((s) => Math.abs(s - u) > margin)) return u;
  }
  throw new Error("safeU: no draw away from the cumulative sums");
}

/** Float64 softmax of a [V] vector (entries may be -Infinity), for choosing safe draws in specs. */
export function softmax64(x: ArrayLike<number>): number[] {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]!);
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
