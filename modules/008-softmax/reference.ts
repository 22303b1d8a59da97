// 008 softmax: reference solution.
// N = size of the last axis; every function works row by row over the last axis of x.

// softmax: x is [..., N], out is [..., N]; each row sums to 1
export function softmax(x: Tensor): Tensor {
  const n = x.shape[x.shape.length - 1];
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length; r += n) {
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, x.data[r + i]);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.exp(x.data[r + i] - max);
      out[r + i] = e;
      sum += e;
    }
    for (let i = 0; i < n; i++) out[r + i] /= sum;
  }
  return { data: out, shape: [...x.shape] };
}

// logSoftmax: x is [..., N], out is [..., N]; out = x - max - log(sum(exp(x - max)))
export function logSoftmax(x: Tensor): Tensor {
  const n = x.shape[x.shape.length - 1];
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length; r += n) {
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, x.data[r + i]);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(x.data[r + i] - max);
    const lse = max + Math.log(sum);
    for (let i = 0; i < n; i++) out[r + i] = x.data[r + i] - lse;
  }
  return { data: out, shape: [...x.shape] };
}

// softmaxBackward: y = softmax(x) and dy are [..., N], dx is [..., N]
// dx_i = y_i * (dy_i - sum_j y_j dy_j)
export function softmaxBackward(y: Tensor, dy: Tensor): Tensor {
  const n = y.shape[y.shape.length - 1];
  const dx = new Float32Array(y.data.length);
  for (let r = 0; r < y.data.length; r += n) {
    let dot = 0;
    for (let j = 0; j < n; j++) dot += y.data[r + j] * dy.data[r + j];
    for (let i = 0; i < n; i++) dx[r + i] = y.data[r + i] * (dy.data[r + i] - dot);
  }
  return { data: dx, shape: [...y.shape] };
}
