// ONNX graph of one pre-norm Llama decoder block, from standard high-level ops (opset 23):
// RMSNormalization, MatMul, RotaryEmbedding (half-split, interleaved = 0), Attention (GQA through
// q_num_heads / kv_num_heads, is_causal), Sigmoid * Mul for SiLU. Shared by 026 and 027.
// Everything runs in float64 except RotaryEmbedding, whose ORT kernel is float32 only (the ONNX type
// constraint lists float, float16 and bfloat16): q and k are cast to float32 around it.
import { f32, f64, TO_DOUBLE } from "../../src/core/spec-kit.ts";
import type { Graph } from "../../src/onnx/graph.ts";

export const BLOCK_WEIGHTS = ["attnNorm", "wq", "wk", "wv", "wo", "ffnNorm", "wGate", "wUp", "wDown"] as const;
export type BlockWeightNames = Record<(typeof BLOCK_WEIGHTS)[number], string>;

/** RoPE position ids [B,T] (0..T-1) and float32 cos/sin caches [T, Dh/2] for a [B,T,*] input and wq [D, H*Dh]. */
export function ropeCaches(g: Graph, x: string, wq: string, H: number, base: string): { pos: string; cos: string; sin: string } {
  const shape = g.op1("Shape", [x]);
  const B = g.op1("Slice", [shape, g.constant([0], [1]), g.constant([1], [1])]);
  const T = g.op1("Slice", [shape, g.constant([1], [1]), g.constant([2], [1])]);
  const Tsc = g.op1("Squeeze", [T, g.constant([0], [1])]);
  const pos = g.op1("Range", [g.constant([0], [], "int64"), Tsc, g.constant([1], [], "int64")]); // [T]
  const posBT = g.op1("Expand", [g.op1("Unsqueeze", [pos, g.constant([0], [1])]), g.op1("Concat", [B, T], { axis: 0 })]);
  // half = Dh / 2 = (H*Dh) / (2H), from wq's second dimension
  const hd = g.op1("Squeeze", [g.op1("Slice", [g.op1("Shape", [wq]), g.constant([1], [1]), g.constant([2], [1])]), g.constant([0], [1])]);
  const half = g.op1("Div", [hd, g.constant([2 * H], [], "int64")]);
  const i = g.op1("Cast", [g.op1("Range", [g.constant([0], [], "int64"), half, g.constant([1], [], "int64")])], { to: TO_DOUBLE });
  const Dh = g.op1("Cast", [g.op1("Mul", [half, g.constant([2], [], "int64")])], { to: TO_DOUBLE });
  // inv_freq_i = base^(-2i/Dh); angle[t,i] = t * inv_freq_i
  const invFreq = g.op1("Pow", [base, g.op1("Div", [g.op1("Mul", [i, g.scalar(-2, "float64")]), Dh])]);
  const posD = g.op1("Unsqueeze", [g.op1("Cast", [pos], { to: TO_DOUBLE }), g.constant([1], [1])]); // [T,1]
  const angle = g.op1("Mul", [posD, g.op1("Unsqueeze", [invFreq, g.constant([0], [1])])]); // [T, Dh/2]
  return { pos: posBT, cos: f32(g, g.op1("Cos", [angle])), sin: f32(g, g.op1("Sin", [angle])) };
}

/** One block on x (float64 [B,T,D]); weights are float64 values; returns the float64 output [B,T,D]. */
export function blockGraph(
  g: Graph, x: string, w: BlockWeightNames, H: number, Hkv: number, eps: number,
  rope: { pos: string; cos: string; sin: string },
): string {
  const rms = (v: string, weight: string) => g.op1("RMSNormalization", [v, weight], { axis: -1, epsilon: { float: eps } });
  const rot = (v: string, heads: number) => f64(g, g.op1("RotaryEmbedding", [f32(g, v), rope.cos, rope.sin, rope.pos], { interleaved: 0, num_heads: heads }));
  const xn = rms(x, w.attnNorm);
  const q = rot(g.op1("MatMul", [xn, w.wq]), H); // [B,T,H*Dh]
  const k = rot(g.op1("MatMul", [xn, w.wk]), Hkv); // [B,T,Hkv*Dh]
  const v = g.op1("MatMul", [xn, w.wv]);
  const att = g.op("Attention", [q, k, v], { q_num_heads: H, kv_num_heads: Hkv, is_causal: 1 }, 1)[0]!; // [B,T,H*Dh]
  const h = g.op1("Add", [x, g.op1("MatMul", [att, w.wo])]);
  const hn = rms(h, w.ffnNorm);
  const gate = g.op1("MatMul", [hn, w.wGate]);
  const act = g.op1("Mul", [g.op1("Mul", [gate, g.op1("Sigmoid", [gate])]), g.op1("MatMul", [hn, w.wUp])]);
  return g.op1("Add", [h, g.op1("MatMul", [act, w.wDown])]);
}

/** Seeded block weights: norms near 1, linear weights with std 1/sqrt(in) ([in, out]). */
export function randomBlockParams(
  rng: { tensor(shape: number[], scale?: number, shift?: number): { data: Float32Array; shape: number[] } },
  D: number, H: number, Hkv: number, F: number,
): Record<(typeof BLOCK_WEIGHTS)[number], { data: Float32Array; shape: number[] }> {
  const Dh = D / H;
  const lin = (i: number, o: number) => rng.tensor([i, o], 1 / Math.sqrt(i));
  return {
    attnNorm: rng.tensor([D], 0.1, 1),
    wq: lin(D, H * Dh),
    wk: lin(D, Hkv * Dh),
    wv: lin(D, Hkv * Dh),
    wo: lin(H * Dh, D),
    ffnNorm: rng.tensor([D], 0.1, 1),
    wGate: lin(D, F),
    wUp: lin(D, F),
    wDown: lin(F, D),
  };
}
