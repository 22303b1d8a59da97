// 019 grouped-query attention: reference solution.
// B = batch, T = sequence, D = model width, H = query heads, Hkv = key/value heads (H % Hkv == 0),
// Dh = head width (Wq is [D, H*Dh]), G = H / Hkv query heads per key/value head.
// Query head h reads kv head floor(h / G): heads 0..G-1 share kv head 0 (repeat_interleave, not h % Hkv).
// Weights are [in, out] (y = x @ W); PyTorch's nn.Linear stores [out, in].

// project: x is [N, Din] (flat rows), W is [Din, Dout]; out is [N, Dout]
function project(x: Float32Array, W: Tensor, n: number): Float32Array {
  const [din, dout] = W.shape;
  const out = new Float32Array(n * dout);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < dout; o++) {
      let s = 0;
      for (let i = 0; i < din; i++) s += x[r * din + i] * W.data[i * dout + o];
      out[r * dout + o] = s;
    }
  }
  return out;
}

// groupedQueryAttention: x is [B,T,D]; Wq [D,H*Dh], Wk and Wv [D,Hkv*Dh], Wo [H*Dh,D]; out is [B,T,D]
export function groupedQueryAttention(
  x: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, Wo: Tensor, H: number, Hkv: number, causal: boolean,
): Tensor {
  const [B, T, D] = x.shape;
  if (H % Hkv !== 0) throw new Error(`groupedQueryAttention: H = ${H} is not divisible by Hkv = ${Hkv}`);
  const Dh = Wq.shape[1] / H;
  const G = H / Hkv;
  const scale = 1 / Math.sqrt(Dh);
  const q = project(x.data, Wq, B * T); // [B,T,H*Dh]
  const k = project(x.data, Wk, B * T); // [B,T,Hkv*Dh]
  const v = project(x.data, Wv, B * T); // [B,T,Hkv*Dh]
  const qw = H * Dh, kw = Hkv * Dh;
  const heads = new Float32Array(B * T * qw); // merged heads, [B,T,H*Dh]
  const p = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor(h / G); // the kv head this query head reads
      for (let i = 0; i < T; i++) {
        const qi = (b * T + i) * qw + h * Dh;
        const last = causal ? i : T - 1;
        let max = -Infinity;
        for (let j = 0; j <= last; j++) {
          const kj = (b * T + j) * kw + g * Dh;
          let s = 0;
          for (let e = 0; e < Dh; e++) s += q[qi + e] * k[kj + e];
          p[j] = s * scale;
          max = Math.max(max, p[j]);
        }
        let sum = 0;
        for (let j = 0; j <= last; j++) {
          p[j] = Math.exp(p[j] - max);
          sum += p[j];
        }
        for (let e = 0; e < Dh; e++) {
          let s = 0;
          for (let j = 0; j <= last; j++) s += p[j] * v[(b * T + j) * kw + g * Dh + e];
          heads[qi + e] = s / sum;
        }
      }
    }
  }
  return { data: project(heads, Wo, B * T), shape: [B, T, D] };
}
