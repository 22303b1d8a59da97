// 018 multi-head attention: reference solution.
// B = batch, T = sequence, D = model width, H = heads, Dh = D / H = head width.
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

// multiHeadAttention: x is [B,T,D]; Wq, Wk, Wv, Wo are [D,D]; out is [B,T,D]
export function multiHeadAttention(x: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, Wo: Tensor, H: number, causal: boolean): Tensor {
  const [B, T, D] = x.shape;
  if (D % H !== 0) throw new Error(`multiHeadAttention: D = ${D} is not divisible by H = ${H}`);
  const Dh = D / H;
  const scale = 1 / Math.sqrt(Dh);
  // q, k, v are [B,T,D]; head h owns columns h*Dh .. h*Dh+Dh-1 (that is [B,T,H,Dh] -> [B,H,T,Dh])
  const q = project(x.data, Wq, B * T);
  const k = project(x.data, Wk, B * T);
  const v = project(x.data, Wv, B * T);
  const heads = new Float32Array(B * T * D); // merged heads, [B,T,D]
  const p = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const qi = (b * T + i) * D + h * Dh;
        const last = causal ? i : T - 1; // keys j > i are the future
        let max = -Infinity;
        for (let j = 0; j <= last; j++) {
          const kj = (b * T + j) * D + h * Dh;
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
          for (let j = 0; j <= last; j++) s += p[j] * v[(b * T + j) * D + h * Dh + e];
          heads[qi + e] = s / sum;
        }
      }
    }
  }
  return { data: project(heads, Wo, B * T), shape: [B, T, D] };
}
