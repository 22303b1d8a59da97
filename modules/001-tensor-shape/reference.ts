// 001 tensor-shape: reference solution.
// B = batch, T = sequence, D = model width, H = heads, Dh = D / H = head width.
// Row-major: x[b,t,d] of a [B,T,D] tensor is x.data[(b*T + t)*D + d].

// flattenBatchTime: x is [B,T,D], out is [B*T,D] (same memory order, new shape)
export function flattenBatchTime(x: Tensor): Tensor {
  const [B, T, D] = x.shape;
  return { data: new Float32Array(x.data), shape: [B * T, D] };
}

// splitHeads: x is [B,T,D], out is [B,H,T,Dh]; out[b,h,t,j] = x[b,t,h*Dh + j]
export function splitHeads(x: Tensor, H: number): Tensor {
  const [B, T, D] = x.shape;
  if (!Number.isInteger(H) || H <= 0 || D % H !== 0) {
    throw new Error(`splitHeads: D = ${D} is not divisible by H = ${H}`);
  }
  const Dh = D / H;
  const out = new Float32Array(B * T * D);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++)
        for (let j = 0; j < Dh; j++)
          out[((b * H + h) * T + t) * Dh + j] = x.data[(b * T + t) * D + h * Dh + j];
  return { data: out, shape: [B, H, T, Dh] };
}

// mergeHeads: x is [B,H,T,Dh], out is [B,T,H*Dh]; out[b,t,h*Dh + j] = x[b,h,t,j]
export function mergeHeads(x: Tensor): Tensor {
  const [B, H, T, Dh] = x.shape;
  const D = H * Dh;
  const out = new Float32Array(B * T * D);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++)
        for (let j = 0; j < Dh; j++)
          out[(b * T + t) * D + h * Dh + j] = x.data[((b * H + h) * T + t) * Dh + j];
  return { data: out, shape: [B, T, D] };
}

// addBias: x is [..., D], b is [D], out is [..., D]; b is added to every row of the last axis
export function addBias(x: Tensor, b: Tensor): Tensor {
  const D = b.shape[0];
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < x.data.length; i++) out[i] = x.data[i] + b.data[i % D];
  return { data: out, shape: [...x.shape] };
}
