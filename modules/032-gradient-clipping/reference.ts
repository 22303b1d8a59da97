// 032 gradient clipping by global norm: reference solution (torch.nn.utils.clip_grad_norm_).
// grads is a list of tensors of any shapes (one per parameter); the norm is taken over all of them together.

// clipGradNorm: grads[k] is [...]; returns new tensors of the same shapes and the norm before clipping.
//   total = sqrt(sum over every element of every tensor of g^2)
//   coef  = maxNorm / (total + 1e-6); the gradients are scaled by coef only when coef < 1
export function clipGradNorm(grads: Tensor[], maxNorm: number): { grads: Tensor[]; totalNorm: number } {
  let sumSq = 0;
  for (const g of grads) for (let i = 0; i < g.data.length; i++) sumSq += g.data[i] * g.data[i];
  const totalNorm = Math.sqrt(sumSq);
  const coef = maxNorm / (totalNorm + 1e-6);
  const scale = coef < 1 ? coef : 1;
  const out: Tensor[] = [];
  for (const g of grads) {
    const data = new Float32Array(g.data.length);
    for (let i = 0; i < data.length; i++) data[i] = g.data[i] * scale;
    out.push({ data, shape: [...g.shape] });
  }
  return { grads: out, totalNorm };
}
