// 020 rope: rotary position embeddings, the tables and both layouts.
// B = batch, H = heads, T = positions, Dh = head width (even); a row of x is x[b, h, t, :].
// theta_i = base^(-2i/Dh) for i = 0 .. Dh/2 - 1 (base 10000 by default).
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Tolerance: ropeTables atol 1e-6, rtol 1e-5; applyRope and applyRopeInterleaved atol 1e-5, rtol 1e-5
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit rope

// ropeTables: cos and sin are [T, Dh/2]; row t is position offset + t, column i is frequency theta_i.
export function ropeTables(T: number, Dh: number, base: number, offset: number): { cos: Tensor; sin: Tensor } {
  // TODO: angle = position * theta_i
  throw new Error("not implemented");
}

// applyRope (half-split / rotate_half): x is [B, H, T, Dh], cos and sin are [T, Dh/2]; out is [B, H, T, Dh].
// Frequency i rotates the pair (x[i], x[i + Dh/2]).
export function applyRope(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  // TODO: rotate each pair by its angle
  throw new Error("not implemented");
}

// applyRopeInterleaved: same shapes; frequency i rotates the pair (x[2i], x[2i+1]).
export function applyRopeInterleaved(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  // TODO: rotate each adjacent pair by its angle
  throw new Error("not implemented");
}
