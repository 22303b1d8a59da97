// 032 gradient clipping by global norm (torch.nn.utils.clip_grad_norm_).
// grads is a list of tensors of any shapes, one per parameter; the norm is taken over all of them together.
// Tensor = { data: Float32Array; shape: number[] }. Return new tensors; never modify inputs.
// Tolerance: grads and totalNorm atol 1e-9, rtol 1e-6 (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit gradient-clipping

// clipGradNorm: grads[k] is [...]; returns tensors of the same shapes and totalNorm, the global L2 norm
// BEFORE clipping. coef = maxNorm / (totalNorm + 1e-6); scale every tensor by coef only when coef < 1.
export function clipGradNorm(grads: Tensor[], maxNorm: number): { grads: Tensor[]; totalNorm: number } {
  // TODO: global sum of squares, the coefficient, then scaled copies
  throw new Error("not implemented");
}
