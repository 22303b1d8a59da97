// 018 multi-head attention: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";

interface Variant {
  /** softmax without subtracting the row max */
  noMax?: boolean;
  /** q, k, v viewed as [B,H,T,Dh] straight from [B,T,D] memory, and merged back the same way */
  reshapeOnly?: boolean;
  /** the merged heads returned without the output projection */
  noOutProj?: boolean;
  /** scores scaled by 1/sqrt(D) instead of 1/sqrt(Dh) */
  scaleByD?: boolean;
  /** the causal flag ignored: every key visible */
  noMask?: boolean;
}

/** x viewed as [n, in] times W [in, out]; also used by 019's mistakes. */
export function matmul(x: Float32Array, W: Tensor, n: number): Float32Array {
  const [din, dout] = W.shape as [number, number];
  const out = new Float32Array(n * dout);
  for (let r = 0; r < n; r++) for (let o = 0; o < dout; o++) {
    let s = 0;
    for (let i = 0; i < din; i++) s += x[r * din + i]! * W.data[i * dout + o]!;
    out[r * dout + o] = s;
  }
  return out;
}

function mha(x: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, Wo: Tensor, H: number, causal: boolean, f: Variant): Tensor {
  const [B, T, D] = x.shape as [number, number, number];
  const Dh = D / H;
  const scale = 1 / Math.sqrt(f.scaleByD ? D : Dh);
  const q = matmul(x.data, Wq, B * T), k = matmul(x.data, Wk, B * T), v = matmul(x.data, Wv, B * T);
  // offset of element (b, h, t, e): the right [B,T,H,Dh] layout, or the raw [B,H,T,Dh] view of the same memory
  const at = (b: number, h: number, t: number, e: number) =>
    f.reshapeOnly ? ((b * H + h) * T + t) * Dh + e : (b * T + t) * D + h * Dh + e;
  const heads = new Float32Array(B * T * D);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < T; i++) {
    const last = causal && !f.noMask ? i : T - 1;
    const p: number[] = [];
    for (let j = 0; j <= last; j++) {
      let s = 0;
      for (let e = 0; e < Dh; e++) s += q[at(b, h, i, e)]! * k[at(b, h, j, e)]!;
      p.push(s * scale);
    }
    const m = f.noMax ? 0 : Math.max(...p);
    const w = p.map((s) => Math.exp(s - m));
    const z = w.reduce((a, c) => a + c, 0);
    for (let e = 0; e < Dh; e++) {
      let s = 0;
      for (let j = 0; j <= last; j++) s += w[j]! * v[at(b, h, j, e)]!;
      heads[at(b, h, i, e)] = s / z;
    }
  }
  return { data: f.noOutProj ? heads : matmul(heads, Wo, B * T), shape: [B, T, D] };
}

const variant = (f: Variant) => ({
  multiHeadAttention: (x: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, Wo: Tensor, H: number, causal: boolean) => mha(x, Wq, Wk, Wv, Wo, H, causal, f),
});

export const mistakes: Mistake[] = [
  {
    id: "heads-reshape-without-transpose",
    title: "heads split by reshaping [B,T,D] to [B,H,T,Dh] without a transpose",
    lesson: "the D columns of token t hold the H heads side by side: reshape to [B,T,H,Dh], then transpose to [B,H,T,Dh] (head h of token t is columns h*Dh..h*Dh+Dh-1). Reading the memory directly as [B,H,T,Dh] mixes tokens and heads, so with T = 4, H = 2 'head 0' holds tokens 0-1 in full; merge back with the inverse transpose",
    impl: variant({ reshapeOnly: true }),
  },
  {
    id: "no-output-projection",
    title: "output projection Wo forgotten",
    lesson: "concatenating the heads gives [B,T,D] of per-head results that never mix across heads; multi-head attention ends with out = concat(heads) @ Wo",
    impl: variant({ noOutProj: true }),
  },
  {
    id: "scale-by-model-width",
    title: "scores scaled by 1/sqrt(D) instead of 1/sqrt(Dh)",
    lesson: "each score is a dot product of Dh numbers, so its variance grows with Dh: divide by sqrt(Dh) = sqrt(D/H), the head width; with D = 8, H = 4 that is sqrt(2), not sqrt(8), and the too-small scale flattens the softmax",
    impl: variant({ scaleByD: true }),
  },
  {
    id: "causal-ignored",
    title: "causal flag ignored",
    lesson: "with causal = true, token i must not see keys j > i: set those scores to -Infinity before the softmax (only the last token, which sees everything anyway, comes out right)",
    impl: variant({ noMask: true }),
  },
  {
    id: "no-max-subtraction",
    title: "softmax of the scores without subtracting the row max",
    lesson: "with activations of size 40 the scores reach about 1e3 and exp(1000) is Infinity (exp(-1000) is 0, and 0/0 = NaN): subtract each row's max score before exp, as in 008 softmax (or import your own softmax)",
    impl: variant({ noMax: true }),
  },
];
