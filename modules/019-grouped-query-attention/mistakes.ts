// 019 grouped-query attention: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { matmul } from "../018-multi-head-attention/mistakes.ts";

interface Variant {
  /** softmax without subtracting the row max */
  noMax?: boolean;
  /** kv head index for query head h (H query heads, Hkv kv heads) */
  kvHead?: (h: number, H: number, Hkv: number) => number;
  /** scores scaled by 1/sqrt(D) (model width) instead of 1/sqrt(Dh) */
  scaleByD?: boolean;
  /** causal flag ignored */
  noMask?: boolean;
}

function gqa(x: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, Wo: Tensor, H: number, Hkv: number, causal: boolean, f: Variant): Tensor {
  const [B, T, D] = x.shape as [number, number, number];
  const Dh = Wq.shape[1]! / H;
  const scale = 1 / Math.sqrt(f.scaleByD ? D : Dh);
  const kvHead = f.kvHead ?? ((h: number) => Math.floor(h / (H / Hkv)));
  const q = matmul(x.data, Wq, B * T), k = matmul(x.data, Wk, B * T), v = matmul(x.data, Wv, B * T);
  const qw = H * Dh, kw = Hkv * Dh;
  const heads = new Float32Array(B * T * qw);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < T; i++) {
    const g = kvHead(h, H, Hkv);
    const last = causal && !f.noMask ? i : T - 1;
    const p: number[] = [];
    for (let j = 0; j <= last; j++) {
      let s = 0;
      for (let e = 0; e < Dh; e++) s += q[(b * T + i) * qw + h * Dh + e]! * k[(b * T + j) * kw + g * Dh + e]!;
      p.push(s * scale);
    }
    const m = f.noMax ? 0 : Math.max(...p);
    const w = p.map((s) => Math.exp(s - m));
    const z = w.reduce((a, c) => a + c, 0);
    for (let e = 0; e < Dh; e++) {
      let s = 0;
      for (let j = 0; j <= last; j++) s += w[j]! * v[(b * T + j) * kw + g * Dh + e]!;
      heads[(b * T + i) * qw + h * Dh + e] = s / z;
    }
  }
  return { data: matmul(heads, Wo, B * T), shape: [B, T, D] };
}

const variant = (f: Variant) => ({
  groupedQueryAttention: (x: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, Wo: Tensor, H: number, Hkv: number, causal: boolean) =>
    gqa(x, Wq, Wk, Wv, Wo, H, Hkv, causal, f),
});

export const mistakes: Mistake[] = [
  {
    id: "kv-head-modulo",
    title: "query head h reads kv head h % Hkv (repeat) instead of floor(h / (H/Hkv)) (repeat_interleave)",
    lesson: "consecutive query heads form a group that shares one kv head: with H = 4, Hkv = 2 heads 0,1 read kv head 0 and heads 2,3 read kv head 1 (floor(h / 2)), while h % 2 gives 0,1,0,1. Hugging Face's repeat_kv and ONNX Attention both use repeat_interleave",
    impl: variant({ kvHead: (h, _H, Hkv) => h % Hkv }),
  },
  {
    id: "group-size-confused",
    title: "kv head floor(h / Hkv) instead of floor(h / (H/Hkv))",
    lesson: "the divisor is the group size G = H / Hkv (query heads per kv head), not the number of kv heads: with H = 8, Hkv = 4, G = 2 and head 5 reads kv head 2; floor(5 / 4) = 1 is wrong (the two agree only when Hkv = G)",
    impl: variant({ kvHead: (h, _H, Hkv) => Math.floor(h / Hkv) }),
  },
  {
    id: "scale-by-model-width",
    title: "scores scaled by 1/sqrt(D) instead of 1/sqrt(Dh)",
    lesson: "a score is a dot product over the head width Dh (Wq is [D, H*Dh]), so divide by sqrt(Dh); the model width D only sets the size of x",
    impl: variant({ scaleByD: true }),
  },
  {
    id: "causal-ignored",
    title: "causal flag ignored",
    lesson: "with causal = true, token i must not see keys j > i: set those scores to -Infinity before the softmax",
    impl: variant({ noMask: true }),
  },
  {
    id: "no-max-subtraction",
    title: "softmax of the scores without subtracting the row max",
    lesson: "with activations of size 40 the scores reach about 1e3 and exp(1000) is Infinity (exp(-1000) is 0, and 0/0 = NaN): subtract each row's max score before exp, as in 008 softmax (or import your own softmax)",
    impl: variant({ noMax: true }),
  },
];
