// 011 mse-loss: reference solution.
// pred and target have the same shape [...] with n elements in all; the mean is over all n of them.

// mseLoss: pred [...], target [...] -> number, (1/n) sum_i (pred_i - target_i)^2
export function mseLoss(pred: Tensor, target: Tensor): number {
  const n = pred.data.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = pred.data[i] - target.data[i];
    sum += d * d;
  }
  return sum / n;
}

// mseLossBackward: pred [...], target [...] -> dpred [...] = 2 (pred - target) / n
export function mseLossBackward(pred: Tensor, target: Tensor): Tensor {
  const n = pred.data.length;
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = (2 * (pred.data[i] - target.data[i])) / n;
  return { data: d, shape: [...pred.shape] };
}
