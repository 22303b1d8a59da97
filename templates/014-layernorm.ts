// 014 layernorm: layer normalisation over the last axis, forward and backward.
// D = size of the last axis (one token's features). A tensor [..., D] holds data.length / D rows.
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Convention: biased (population) variance, eps inside the square root (PyTorch's nn.LayerNorm).
// Tolerance: layerNorm atol 2e-5, rtol 1e-4; backward dx atol 2e-5, rtol 1e-4;
//   dgamma, dbeta atol 1e-5 x rows, rtol 1e-4   (|got - want| <= atol + rtol * |want|)
// Submit with: llmdrill submit layernorm

// layerNorm: x is [..., D], gamma and beta are [D]; out is [..., D]
// out = (x - mean) / sqrt(var + eps) * gamma + beta, per row
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor {
  // TODO: per row: mean, variance around the mean, normalise, scale and shift
  throw new Error("not implemented");
}

// layerNormBackward: x and dy = dL/dout are [..., D], gamma is [D]
// returns dx [..., D], dgamma [D] and dbeta [D] (dgamma and dbeta summed over every row)
export function layerNormBackward(x: Tensor, gamma: Tensor, dy: Tensor, eps: number): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  // TODO: recompute mean and rstd per row; dx needs the mean and variance paths too
  throw new Error("not implemented");
}
