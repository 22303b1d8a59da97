// 020 rope: reference solution.
// B = batch, H = heads, T = positions, Dh = head width (even), Dh/2 = number of frequencies.
// theta_i = base^(-2i/Dh) for i = 0 .. Dh/2 - 1; position p rotates frequency pair i by the angle p * theta_i.

// ropeTables: cos and sin are [T, Dh/2]; row t holds position offset + t
export function ropeTables(T: number, Dh: number, base: number, offset: number): { cos: Tensor; sin: Tensor } {
  if (Dh % 2 !== 0) throw new Error(`ropeTables: Dh = ${Dh} must be even`);
  const half = Dh / 2;
  const cos = new Float32Array(T * half);
  const sin = new Float32Array(T * half);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < half; i++) {
      const angle = (offset + t) * Math.pow(base, (-2 * i) / Dh);
      cos[t * half + i] = Math.cos(angle);
      sin[t * half + i] = Math.sin(angle);
    }
  }
  return { cos: { data: cos, shape: [T, half] }, sin: { data: sin, shape: [T, half] } };
}

// applyRope (half-split, rotate_half; Llama in Hugging Face): x is [B, H, T, Dh], cos and sin are [T, Dh/2]; out is [B, H, T, Dh]
// pairs (x[i], x[i + Dh/2]):  out[i] = x[i] cos - x[i + Dh/2] sin,  out[i + Dh/2] = x[i + Dh/2] cos + x[i] sin
export function applyRope(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  const [B, H, T, Dh] = x.shape;
  const half = Dh / 2;
  const out = new Float32Array(x.data.length);
  for (let bh = 0; bh < B * H; bh++) {
    for (let t = 0; t < T; t++) {
      const o = (bh * T + t) * Dh;
      for (let i = 0; i < half; i++) {
        const c = cos.data[t * half + i], s = sin.data[t * half + i];
        const a = x.data[o + i], b = x.data[o + i + half];
        out[o + i] = a * c - b * s;
        out[o + i + half] = b * c + a * s;
      }
    }
  }
  return { data: out, shape: [...x.shape] };
}

// applyRopeInterleaved (GPT-J, Meta's original Llama code): same shapes as applyRope
// pairs (x[2i], x[2i+1]):  out[2i] = x[2i] cos - x[2i+1] sin,  out[2i+1] = x[2i+1] cos + x[2i] sin
export function applyRopeInterleaved(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  const [B, H, T, Dh] = x.shape;
  const half = Dh / 2;
  const out = new Float32Array(x.data.length);
  for (let bh = 0; bh < B * H; bh++) {
    for (let t = 0; t < T; t++) {
      const o = (bh * T + t) * Dh;
      for (let i = 0; i < half; i++) {
        const c = cos.data[t * half + i], s = sin.data[t * half + i];
        const a = x.data[o + 2 * i], b = x.data[o + 2 * i + 1];
        out[o + 2 * i] = a * c - b * s;
        out[o + 2 * i + 1] = b * c + a * s;
      }
    }
  }
  return { data: out, shape: [...x.shape] };
}
