// 031 AdamW: one optimizer step, as PyTorch's torch.optim.AdamW computes it.
// N = number of elements of the parameter (any shape); param, grad, m, v share one shape.
// t = steps already taken (0 before the first step); this step is number t + 1.
// Tensor = { data: Float32Array; shape: number[] }. Return new tensors; never modify inputs (PyTorch updates
//   in place; here the old state must stay intact).
// Tolerance: param atol 1e-6, rtol 1e-6; m and v rtol 1e-5 (atol 1e-20); t exact
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit adamw

type AdamState = { m: Tensor; v: Tensor; t: number };
type AdamHp = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

// adamwStep: param, grad, state.m, state.v are [...]; returns { param: [...], state: { m: [...], v: [...], t: t + 1 } }.
// Decoupled weight decay p *= 1 - lr * wd, then p -= lr * m_hat / (sqrt(v_hat) + eps) with bias-corrected moments.
export function adamwStep(param: Tensor, grad: Tensor, state: AdamState, hp: AdamHp): { param: Tensor; state: AdamState } {
  // TODO: moments, bias corrections with step = t + 1, decay, update
  throw new Error("not implemented");
}
