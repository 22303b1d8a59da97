// 031 AdamW: reference solution (PyTorch's torch.optim.AdamW, one step).
// N = number of elements of the parameter (any shape). param, grad, m, v share one shape.
// t = steps already taken (0 before the first step); this step is number t + 1.

type AdamState = { m: Tensor; v: Tensor; t: number };
type AdamHp = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

// adamwStep: param, grad, state.m, state.v are [...]; returns the new param and the new state (t + 1).
//   p <- p * (1 - lr * wd)                      decoupled weight decay, on the old param
//   m <- beta1 * m + (1 - beta1) * g             v <- beta2 * v + (1 - beta2) * g^2
//   p <- p - lr * m_hat / (sqrt(v_hat) + eps)    m_hat = m / (1 - beta1^step), v_hat = v / (1 - beta2^step)
export function adamwStep(param: Tensor, grad: Tensor, state: AdamState, hp: AdamHp): { param: Tensor; state: AdamState } {
  const n = param.data.length;
  const step = state.t + 1;
  const bc1 = 1 - Math.pow(hp.beta1, step);
  const bc2 = 1 - Math.pow(hp.beta2, step);
  const p = new Float32Array(n);
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = grad.data[i];
    const mi = hp.beta1 * state.m.data[i] + (1 - hp.beta1) * g;
    const vi = hp.beta2 * state.v.data[i] + (1 - hp.beta2) * g * g;
    const mHat = mi / bc1;
    const vHat = vi / bc2;
    p[i] = param.data[i] * (1 - hp.lr * hp.weightDecay) - (hp.lr * mHat) / (Math.sqrt(vHat) + hp.eps);
    m[i] = mi;
    v[i] = vi;
  }
  const shape = [...param.shape];
  return { param: { data: p, shape }, state: { m: { data: m, shape: [...shape] }, v: { data: v, shape: [...shape] }, t: step } };
}
