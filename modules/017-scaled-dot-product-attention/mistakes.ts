// 017 scaled-dot-product-attention: known mistakes as wrong variants of the reference.
import type { Mistake, Tensor } from "../../src/core/types.ts";

interface Variant {
  /** Multiplier of q.k. */
  scale: (dh: number) => number;
  /** Whether key j is visible to query i. */
  visible: (i: number, j: number, tq: number, tk: number, causal: boolean) => boolean;
  /** Softmax over the queries (column-wise) instead of over the keys. */
  overQueries?: boolean;
  /** Softmax without subtracting the row max. */
  noMax?: boolean;
}

const bottomRight = (i: number, j: number, tq: number, tk: number, causal: boolean) => !causal || j <= tk - tq + i;

function attention(v: Variant) {
  return (q: Tensor, k: Tensor, val: Tensor, causal: boolean): Tensor => {
    const [B, H, Tq, Dh] = q.shape as [number, number, number, number];
    const Tk = k.shape[2]!, Dv = val.shape[3]!;
    const out = new Float32Array(B * H * Tq * Dv);
    for (let bh = 0; bh < B * H; bh++) {
      const p: number[][] = [];
      for (let i = 0; i < Tq; i++) {
        p.push([]);
        for (let j = 0; j < Tk; j++) {
          let s = 0;
          for (let d = 0; d < Dh; d++) s += q.data[(bh * Tq + i) * Dh + d]! * k.data[(bh * Tk + j) * Dh + d]!;
          p[i]!.push(v.visible(i, j, Tq, Tk, causal) ? s * v.scale(Dh) : -Infinity);
        }
      }
      const soft = (vals: number[]) => {
        const m = v.noMax ? 0 : Math.max(...vals);
        const e = vals.map((x) => Math.exp(x - m));
        const z = e.reduce((a, b) => a + b, 0);
        return e.map((x) => x / z);
      };
      if (v.overQueries) {
        for (let j = 0; j < Tk; j++) {
          const col = soft(p.map((row) => row[j]!));
          col.forEach((x, i) => (p[i]![j] = x));
        }
      } else {
        for (let i = 0; i < Tq; i++) p[i] = soft(p[i]!);
      }
      for (let i = 0; i < Tq; i++) {
        for (let d = 0; d < Dv; d++) {
          let acc = 0;
          for (let j = 0; j < Tk; j++) acc += p[i]![j]! * val.data[(bh * Tk + j) * Dv + d]!;
          out[(bh * Tq + i) * Dv + d] = acc;
        }
      }
    }
    return { data: out, shape: [B, H, Tq, Dv] };
  };
}

const right = (dh: number) => 1 / Math.sqrt(dh);

export const mistakes: Mistake[] = [
  {
    id: "no-max-subtraction",
    title: "softmax of the scores without subtracting the row max",
    lesson: "scores of a few hundred overflow exp (exp(1294) is Infinity, and Infinity / Infinity is NaN): subtract each row's max score before exp, as in 008 softmax (masked -Infinity entries stay exactly 0)",
    impl: { scaledDotProductAttention: attention({ scale: right, visible: bottomRight, noMax: true }) },
  },
  {
    id: "missing-scale",
    title: "scores not scaled by 1/sqrt(Dh)",
    lesson: "q.k sums Dh products, so its spread grows like sqrt(Dh); without 1/sqrt(Dh) the softmax saturates toward one-hot and gradients vanish. Multiply the scores by 1/sqrt(Dh)",
    impl: { scaledDotProductAttention: attention({ scale: () => 1, visible: bottomRight }) },
  },
  {
    id: "scale-by-dh",
    title: "scores divided by Dh instead of sqrt(Dh)",
    lesson: "the scale is 1/sqrt(Dh) (the standard deviation of a sum of Dh unit-variance products), not 1/Dh, which flattens the attention toward uniform",
    impl: { scaledDotProductAttention: attention({ scale: (dh) => 1 / dh, visible: bottomRight }) },
  },
  {
    id: "softmax-over-queries",
    title: "softmax over the query axis",
    lesson: "each query's weights over the keys must sum to 1: take the softmax along the last axis of the [Tq, Tk] score matrix (over j), not down its columns",
    impl: { scaledDotProductAttention: attention({ scale: right, visible: bottomRight, overQueries: true }) },
  },
  {
    id: "causal-top-left",
    title: "causal mask aligned top-left when Tq < Tk",
    lesson: "with a cache, the Tq queries are the LAST Tq positions: query i sits at Tk - Tq + i and sees keys j <= Tk - Tq + i. Masking j > i (top-left, like PyTorch's is_causal) hides keys the query should see",
    impl: { scaledDotProductAttention: attention({ scale: right, visible: (i, j, _tq, _tk, causal) => !causal || j <= i }) },
  },
  {
    id: "causal-diagonal-masked",
    title: "causal mask that also hides the diagonal",
    lesson: "a token attends to itself: mask keys j > i (strictly in the future), not j >= i; with the diagonal masked the first query sees nothing and its row is NaN",
    impl: { scaledDotProductAttention: attention({ scale: right, visible: (i, j, tq, tk, causal) => !causal || j < tk - tq + i }) },
  },
];
