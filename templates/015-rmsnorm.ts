// 015 rmsnorm: RMSNorm over the last axis and its backward pass (Llama's normalisation).
// D = model width, the last axis. A tensor of shape [..., D] holds data.length / D rows of D values.
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Tolerance: rmsNorm atol 1e-6, rtol 1e-5; rmsNormBackward (dx and dweight) atol 1e-5, rtol 1e-4
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit rmsnorm

// rmsNorm: x is [..., D], weight is [D]; out is [..., D].
// y = x / sqrt(mean(x^2) + eps) * weight, per row. eps is 1e-6 in Llama.
export function rmsNorm(x: Tensor, weight: Tensor, eps: number): Tensor {
  // TODO: per row: mean of squares, 1/sqrt(. + eps), scale by weight
  throw new Error("not implemented");
}

// rmsNormBackward: x and dy = dL/dy are [..., D], weight is [D];
// returns dx = dL/dx, [..., D], and dweight = dL/dweight, [D] (summed over every row).
export function rmsNormBackward(x: Tensor, weight: Tensor, dy: Tensor, eps: number): { dx: Tensor; dweight: Tensor } {
  // TODO: recompute the row's 1/rms; dx has a term through the rms itself
  throw new Error("not implemented");
}
