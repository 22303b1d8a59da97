// 017 scaled-dot-product-attention: reference solution.
// B = batch, H = heads, Tq = queries, Tk = keys, Dh = query/key width, Dv = value width.
// out = softmax(q k^T / sqrt(Dh) + mask) v, softmax over the keys.
// Causal: query i sits at absolute position Tk - Tq + i (bottom-right) and sees keys j <= Tk - Tq + i.

// q is [B,H,Tq,Dh], k is [B,H,Tk,Dh], v is [B,H,Tk,Dv]; out is [B,H,Tq,Dv]
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, causal: boolean): Tensor {
  const [B, H, Tq, Dh] = q.shape;
  const Tk = k.shape[2];
  const Dv = v.shape[3];
  const scale = 1 / Math.sqrt(Dh);
  const out = new Float32Array(B * H * Tq * Dv);
  const scores = new Float64Array(Tk);
  for (let bh = 0; bh < B * H; bh++) {
    const qo = bh * Tq * Dh, ko = bh * Tk * Dh, vo = bh * Tk * Dv, oo = bh * Tq * Dv;
    for (let i = 0; i < Tq; i++) {
      const last = causal ? Tk - Tq + i : Tk - 1; // last visible key
      let max = -Infinity;
      for (let j = 0; j <= last; j++) {
        let s = 0;
        for (let d = 0; d < Dh; d++) s += q.data[qo + i * Dh + d] * k.data[ko + j * Dh + d];
        scores[j] = s * scale;
        if (scores[j] > max) max = scores[j];
      }
      let sum = 0;
      for (let j = 0; j <= last; j++) {
        scores[j] = Math.exp(scores[j] - max);
        sum += scores[j];
      }
      for (let d = 0; d < Dv; d++) {
        let acc = 0;
        for (let j = 0; j <= last; j++) acc += scores[j] * v.data[vo + j * Dv + d];
        out[oo + i * Dv + d] = acc / sum;
      }
    }
  }
  return { data: out, shape: [B, H, Tq, Dv] };
}
