// 024 alibi: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { alibiBias, alibiSlopes } from "./reference.ts";

function slopesFrom(H: number, f: (h: number) => number): Tensor {
  return { data: Float32Array.from({ length: H }, (_, h) => f(h)), shape: [H] };
}

function biasFrom(H: number, Tq: number, Tk: number, value: (m: number, pos: number, j: number) => number, offset = Tk - Tq): Tensor {
  const m = alibiSlopes(H).data;
  const out = new Float32Array(H * Tq * Tk);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < Tq; i++) {
      const pos = offset + i;
      for (let j = 0; j < Tk; j++) out[(h * Tq + i) * Tk + j] = j <= pos ? value(m[h]!, pos, j) : -Infinity;
    }
  }
  return { data: out, shape: [H, Tq, Tk] };
}

/** Attention with a pluggable scale and a hook on the probabilities (for "bias after softmax"). */
function attention(q: Tensor, k: Tensor, v: Tensor, opts: { scale?: number; biasAfter?: boolean; flipSign?: boolean }): Tensor {
  const [B, H, Tq, Dh] = q.shape as [number, number, number, number];
  const Tk = k.shape[2]!, Dv = v.shape[3]!;
  const bias = alibiBias(H, Tq, Tk).data;
  const scale = opts.scale ?? 1 / Math.sqrt(Dh);
  const out = new Float32Array(B * H * Tq * Dv);
  for (let bh = 0; bh < B * H; bh++) {
    const h = bh % H;
    for (let i = 0; i < Tq; i++) {
      const s = new Float64Array(Tk);
      for (let j = 0; j < Tk; j++) {
        let dot = 0;
        for (let d = 0; d < Dh; d++) dot += q.data[(bh * Tq + i) * Dh + d]! * k.data[(bh * Tk + j) * Dh + d]!;
        const b0 = bias[(h * Tq + i) * Tk + j]!;
        const b = opts.flipSign && b0 !== -Infinity ? -b0 : b0;
        // bias after softmax: the softmax sees only the causal mask; the finite bias is added to the probabilities
        s[j] = dot * scale + (opts.biasAfter ? (b === -Infinity ? -Infinity : 0) : b);
      }
      const max = Math.max(...s);
      let sum = 0;
      for (let j = 0; j < Tk; j++) sum += (s[j] = Math.exp(s[j]! - max));
      for (let j = 0; j < Tk; j++) {
        s[j] /= sum;
        const b = bias[(h * Tq + i) * Tk + j]!;
        if (opts.biasAfter && b !== -Infinity) s[j] += b;
      }
      for (let d = 0; d < Dv; d++) {
        let acc = 0;
        for (let j = 0; j < Tk; j++) acc += s[j]! * v.data[(bh * Tk + j) * Dv + d]!;
        out[(bh * Tq + i) * Dv + d] = acc;
      }
    }
  }
  return { data: out, shape: [B, H, Tq, Dv] };
}

export const mistakes: Mistake[] = [
  {
    id: "slopes-formula-for-any-h",
    title: "slopes 2^(-8(h+1)/H) for every H, also when H is not a power of two",
    lesson: "the geometric rule 2^(-8(h+1)/H) holds only for H a power of two. For other H the paper takes n = the largest power of two below H, the n slopes 2^(-8(h+1)/n), then the odd-numbered slopes of the 2n-head set for the remaining heads: H = 6 gives [0.25, 0.0625, 0.0156, 0.0039, 0.5, 0.125], not 2^(-8/6), 2^(-16/6), ...",
    impl: { alibiSlopes: (H: number) => slopesFrom(H, (h) => Math.pow(2, (-8 * (h + 1)) / H)) },
  },
  {
    id: "slopes-truncated-next-power",
    title: "slopes of the next power of two, cut to the first H",
    lesson: "cutting the slopes of the next power of two to H heads (H = 6: [0.5, 0.25, 0.125, 0.0625, 0.0312, 0.0156]) is not the paper's rule: keep the n slopes of the largest power of two n <= H (n = 4: [0.25, 0.0625, 0.0156, 0.0039]) and append the odd-numbered slopes 2^(-8(2k+1)/(2n)) of the 2n-head set for the remaining heads ([0.5, 0.125])",
    impl: {
      alibiSlopes: (H: number) => {
        let n = 1;
        while (n < H) n *= 2;
        return slopesFrom(H, (h) => Math.pow(2, (-8 * (h + 1)) / n));
      },
    },
  },
  {
    id: "bias-sign",
    title: "bias +m * (i' - j): distant keys rewarded instead of penalised",
    lesson: "ALiBi penalises distance: bias = -m_h * (i' - j) <= 0 for j <= i', 0 on the diagonal, more negative the further back the key. With the + sign the oldest token gets the largest score",
    impl: { alibiBias: (H: number, Tq: number, Tk: number) => biasFrom(H, Tq, Tk, (m, pos, j) => m * (pos - j)) },
  },
  {
    id: "attention-bias-sign",
    title: "alibiAttention adds +m * (i' - j): distant keys rewarded instead of penalised",
    lesson: "the bias added to the scores is -m_h * (i' - j), at most 0 and more negative for keys further back; with the + sign the oldest tokens get the highest scores, the opposite of ALiBi's recency bias",
    impl: { alibiAttention: (q: Tensor, k: Tensor, v: Tensor) => attention(q, k, v, { flipSign: true }) },
  },
  {
    id: "bias-hf-form",
    title: "bias m * j (Hugging Face's BLOOM form) instead of -m * (i' - j)",
    lesson: "m * j differs from -m * (i' - j) by m * i', a constant along each row, so softmax and attention are identical; but this function asks for the paper's tensor, -m_h * (i' - j) (0 on the diagonal, negative before it)",
    impl: { alibiBias: (H: number, Tq: number, Tk: number) => biasFrom(H, Tq, Tk, (m, _pos, j) => m * j) },
  },
  {
    id: "top-left-aligned",
    title: "query i placed at position i instead of Tk - Tq + i (top-left alignment)",
    lesson: "with a cache of Tk - Tq earlier keys the queries are the LAST Tq positions: query i is at i' = Tk - Tq + i, sees keys j <= i' and its distance to key j is i' - j. With Tq = 1 and Tk = 5 the new token must see all 5 keys at distances 4, 3, 2, 1, 0",
    impl: { alibiBias: (H: number, Tq: number, Tk: number) => biasFrom(H, Tq, Tk, (m, pos, j) => -m * (pos - j), 0) },
  },
  {
    id: "bias-after-softmax",
    title: "bias added to the probabilities after the softmax",
    lesson: "ALiBi is added to the scores: softmax(q.k / sqrt(Dh) + bias). Added after the softmax it no longer reweights anything (and the rows no longer sum to 1)",
    impl: { alibiAttention: (q: Tensor, k: Tensor, v: Tensor) => attention(q, k, v, { biasAfter: true }) },
  },
  {
    id: "no-scale",
    title: "scores not scaled by 1/sqrt(Dh)",
    lesson: "the scores are q.k / sqrt(Dh) before the bias is added: with Dh = 4 the raw dot products are twice too large and the softmax too peaked",
    impl: { alibiAttention: (q: Tensor, k: Tensor, v: Tensor) => attention(q, k, v, { scale: 1 }) },
  },
];
