// 013 dropout: reference solution (inverted dropout, as torch.nn.Dropout).
// x, u, mask, y, dy, dx all have the same shape [...]; p = drop probability in [0, 1).
// keep element i where u[i] >= p; kept elements are scaled by 1 / (1 - p) so that E[y] = x.

// dropout: x is [...], u is [...] (uniform draws in [0, 1)); y is [...], mask is [...] of 0/1
export function dropout(x: Tensor, p: number, u: Tensor, training: boolean): { y: Tensor; mask: Tensor } {
  const n = x.data.length;
  const y = new Float32Array(n);
  const mask = new Float32Array(n);
  if (!training) {
    // eval mode: identity, nothing dropped
    for (let i = 0; i < n; i++) {
      y[i] = x.data[i];
      mask[i] = 1;
    }
    return { y: { data: y, shape: [...x.shape] }, mask: { data: mask, shape: [...x.shape] } };
  }
  const scale = 1 / (1 - p);
  for (let i = 0; i < n; i++) {
    mask[i] = u.data[i] >= p ? 1 : 0;
    y[i] = x.data[i] * mask[i] * scale;
  }
  return { y: { data: y, shape: [...x.shape] }, mask: { data: mask, shape: [...x.shape] } };
}

// dropoutBackward: dy is [...], mask is [...] (from dropout); dx is [...]
// y = x * mask / (1 - p), so dx = dy * mask / (1 - p)
export function dropoutBackward(dy: Tensor, mask: Tensor, p: number): Tensor {
  const n = dy.data.length;
  const dx = new Float32Array(n);
  const scale = 1 / (1 - p);
  for (let i = 0; i < n; i++) dx[i] = dy.data[i] * mask.data[i] * scale;
  return { data: dx, shape: [...dy.shape] };
}
