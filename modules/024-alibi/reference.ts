// 024 alibi: reference solution.
// B = batch, H = heads, Tq = query positions, Tk = key positions (Tq <= Tk), Dh = head width, Dv = value width.
// Query i sits at absolute position i' = Tk - Tq + i (bottom-right alignment, as with a KV cache).

// alibiSlopes: out is [H]. n = the largest power of two <= H: heads 0..n-1 get 2^(-8(h+1)/n);
// the remaining H - n heads take the odd-numbered slopes 2^(-8(2k+1)/(2n)), k = 0, 1, ..., of the 2n-head set
export function alibiSlopes(H: number): Tensor {
  let n = 1;
  while (n * 2 <= H) n *= 2;
  const out = new Float32Array(H);
  for (let h = 0; h < H; h++) {
    out[h] = h < n ? Math.pow(2, (-8 * (h + 1)) / n) : Math.pow(2, (-8 * (2 * (h - n) + 1)) / (2 * n));
  }
  return { data: out, shape: [H] };
}

// alibiBias: out is [H, Tq, Tk]; -m_h * (i' - j) for j <= i', -Infinity for future keys j > i'
export function alibiBias(H: number, Tq: number, Tk: number): Tensor {
  const m = alibiSlopes(H).data;
  const out = new Float32Array(H * Tq * Tk);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < Tq; i++) {
      const pos = Tk - Tq + i;
      for (let j = 0; j < Tk; j++) out[(h * Tq + i) * Tk + j] = j <= pos ? -m[h] * (pos - j) : -Infinity;
    }
  }
  return { data: out, shape: [H, Tq, Tk] };
}

// alibiAttention: q is [B, H, Tq, Dh], k is [B, H, Tk, Dh], v is [B, H, Tk, Dv]; out is [B, H, Tq, Dv]
// softmax_j(q_i . k_j / sqrt(Dh) + bias[h, i, j]) weighted sum of v_j
export function alibiAttention(q: Tensor, k: Tensor, v: Tensor): Tensor {
  const [B, H, Tq, Dh] = q.shape;
  const Tk = k.shape[2];
  const Dv = v.shape[3];
  const bias = alibiBias(H, Tq, Tk).data;
  const scale = 1 / Math.sqrt(Dh);
  const out = new Float32Array(B * H * Tq * Dv);
  const p = new Float64Array(Tk);
  for (let bh = 0; bh < B * H; bh++) {
    const h = bh % H;
    for (let i = 0; i < Tq; i++) {
      let max = -Infinity;
      for (let j = 0; j < Tk; j++) {
        let s = 0;
        for (let d = 0; d < Dh; d++) s += q.data[(bh * Tq + i) * Dh + d] * k.data[(bh * Tk + j) * Dh + d];
        p[j] = s * scale + bias[(h * Tq + i) * Tk + j];
        max = Math.max(max, p[j]);
      }
      let sum = 0;
      for (let j = 0; j < Tk; j++) {
        p[j] = Math.exp(p[j] - max);
        sum += p[j];
      }
      for (let d = 0; d < Dv; d++) {
        let acc = 0;
        for (let j = 0; j < Tk; j++) acc += p[j] * v.data[(bh * Tk + j) * Dv + d];
        out[(bh * Tq + i) * Dv + d] = acc / sum;
      }
    }
  }
  return { data: out, shape: [B, H, Tq, Dv] };
}
