// 001 tensor-shape: flatten, split into heads, merge heads, add a broadcast bias.
// B = batch, T = sequence, D = model width, H = heads, Dh = D / H = head width.
// Tensor = { data: Float32Array; shape: number[] }, row-major: x[b,t,d] of [B,T,D] is x.data[(b*T + t)*D + d].
// Return new tensors; never modify inputs.
// Tolerance: flattenBatchTime, splitHeads, mergeHeads exact (data is moved, not computed);
//   addBias atol 1e-7, rtol 1e-6 (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit tensor-shape

// flattenBatchTime: x is [B,T,D]; out is [B*T,D].
export function flattenBatchTime(x: Tensor): Tensor {
  // TODO: same values in the same order, new shape
  throw new Error("not implemented");
}

// splitHeads: x is [B,T,D]; out is [B,H,T,Dh] with out[b,h,t,j] = x[b,t,h*Dh + j].
// D not divisible by H is invalid: throw an Error with a message.
export function splitHeads(x: Tensor, H: number): Tensor {
  // TODO: reshape to [B,T,H,Dh], then swap the T and H axes
  throw new Error("not implemented");
}

// mergeHeads: x is [B,H,T,Dh]; out is [B,T,H*Dh], the inverse of splitHeads.
export function mergeHeads(x: Tensor): Tensor {
  // TODO: swap H and T back, then merge the last two axes
  throw new Error("not implemented");
}

// addBias: x is [..., D], b is [D]; out is [..., D] with b added to every row of the last axis.
export function addBias(x: Tensor, b: Tensor): Tensor {
  // TODO: broadcast b over every leading axis
  throw new Error("not implemented");
}
