// 026 decoder-block: reference solution, a pre-norm Llama decoder block.
// B = batch, T = sequence, D = model width, H = query heads, Hkv = key/value heads, Dh = D / H head width,
// F = FFN hidden width. Linear weights are [in, out]: y = x @ W.

// rmsNorm: x is [N,D] rows, w is [D]; out is [N,D] = x / sqrt(mean(x^2) + eps) * w
function rmsNorm(x: Float32Array, w: Tensor, N: number, D: number, eps: number): Float32Array {
  const out = new Float32Array(N * D);
  for (let n = 0; n < N; n++) {
    let ss = 0;
    for (let d = 0; d < D; d++) ss += x[n * D + d] * x[n * D + d];
    const inv = 1 / Math.sqrt(ss / D + eps);
    for (let d = 0; d < D; d++) out[n * D + d] = x[n * D + d] * inv * w.data[d];
  }
  return out;
}

// matmul: a is [N,K], W is [K,M]; out is [N,M]
function matmul(a: Float32Array, W: Tensor, N: number): Float32Array {
  const [K, M] = W.shape;
  const out = new Float32Array(N * M);
  for (let n = 0; n < N; n++) {
    for (let m = 0; m < M; m++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[n * K + k] * W.data[k * M + m];
      out[n * M + m] = s;
    }
  }
  return out;
}

// rope: x is [B,T,nh*Dh] (heads side by side), rotated in place; half-split pairs (i, i + Dh/2), position t
function rope(x: Float32Array, B: number, T: number, nh: number, Dh: number, base: number): void {
  const half = Dh / 2;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < nh; h++) {
        const off = ((b * T + t) * nh + h) * Dh;
        for (let i = 0; i < half; i++) {
          const angle = t * Math.pow(base, (-2 * i) / Dh);
          const c = Math.cos(angle), s = Math.sin(angle);
          const x1 = x[off + i], x2 = x[off + i + half];
          x[off + i] = x1 * c - x2 * s;
          x[off + i + half] = x2 * c + x1 * s;
        }
      }
    }
  }
}

// decoderBlock: x is [B,T,D]; p = {attnNorm[D], wq[D,H*Dh], wk[D,Hkv*Dh], wv[D,Hkv*Dh], wo[H*Dh,D],
// ffnNorm[D], wGate[D,F], wUp[D,F], wDown[F,D]}; cfg = {H, Hkv, eps = 1e-6, ropeBase = 10000}; out is [B,T,D]
// h = x + attn(rmsNorm(x)), out = h + swiglu(rmsNorm(h))
export function decoderBlock(
  x: Tensor,
  p: { attnNorm: Tensor; wq: Tensor; wk: Tensor; wv: Tensor; wo: Tensor; ffnNorm: Tensor; wGate: Tensor; wUp: Tensor; wDown: Tensor },
  cfg: { H: number; Hkv: number; eps?: number; ropeBase?: number },
): Tensor {
  const [B, T, D] = x.shape;
  const { H, Hkv } = cfg;
  const eps = cfg.eps ?? 1e-6;
  const base = cfg.ropeBase ?? 10000;
  if (D % H !== 0) throw new Error(`D = ${D} is not divisible by H = ${H}`);
  if (H % Hkv !== 0) throw new Error(`H = ${H} is not a multiple of Hkv = ${Hkv}`);
  const Dh = D / H;
  const group = H / Hkv; // query heads per key/value head
  const N = B * T;

  // attention sub-block
  const xn = rmsNorm(x.data, p.attnNorm, N, D, eps);
  const q = matmul(xn, p.wq, N); // [B,T,H*Dh]
  const k = matmul(xn, p.wk, N); // [B,T,Hkv*Dh]
  const v = matmul(xn, p.wv, N); // [B,T,Hkv*Dh]
  rope(q, B, T, H, Dh, base);
  rope(k, B, T, Hkv, Dh, base);
  const att = new Float32Array(N * H * Dh); // [B,T,H*Dh]
  const scores = new Float64Array(T);
  const scale = 1 / Math.sqrt(Dh);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor(h / group); // kv head shared by query heads g*group .. g*group + group - 1
      for (let i = 0; i < T; i++) {
        const qo = ((b * T + i) * H + h) * Dh;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          const ko = ((b * T + j) * Hkv + g) * Dh;
          let s = 0;
          for (let d = 0; d < Dh; d++) s += q[qo + d] * k[ko + d];
          scores[j] = s * scale;
          max = Math.max(max, scores[j]);
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (let d = 0; d < Dh; d++) {
          let acc = 0;
          for (let j = 0; j <= i; j++) acc += scores[j] * v[((b * T + j) * Hkv + g) * Dh + d];
          att[qo + d] = acc / sum;
        }
      }
    }
  }
  const o = matmul(att, p.wo, N);
  const h1 = new Float32Array(N * D);
  for (let i = 0; i < N * D; i++) h1[i] = x.data[i] + o[i];

  // feed-forward sub-block (SwiGLU)
  const hn = rmsNorm(h1, p.ffnNorm, N, D, eps);
  const gate = matmul(hn, p.wGate, N);
  const up = matmul(hn, p.wUp, N);
  for (let i = 0; i < gate.length; i++) gate[i] = (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
  const f = matmul(gate, p.wDown, N);
  const out = new Float32Array(N * D);
  for (let i = 0; i < N * D; i++) out[i] = h1[i] + f[i];
  return { data: out, shape: [B, T, D] };
}
