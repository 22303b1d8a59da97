// 015 rmsnorm: reference solution.
// D = model width (the last axis); a tensor [..., D] holds N = data.length / D rows.
// y = x / sqrt(mean(x^2) + eps) * weight, row by row; no mean is subtracted and there is no bias.

// rmsNorm: x is [..., D], weight is [D], out is [..., D]
export function rmsNorm(x: Tensor, weight: Tensor, eps: number): Tensor {
  const d = x.shape[x.shape.length - 1];
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length; r += d) {
    let ss = 0;
    for (let i = 0; i < d; i++) ss += x.data[r + i] * x.data[r + i];
    const inv = 1 / Math.sqrt(ss / d + eps);
    for (let i = 0; i < d; i++) out[r + i] = x.data[r + i] * inv * weight.data[i];
  }
  return { data: out, shape: [...x.shape] };
}

// rmsNormBackward: x and dy are [..., D], weight is [D]; dx is [..., D], dweight is [D]
// with r = 1/sqrt(mean(x^2) + eps), xhat = x * r and g = dy * weight:
//   dweight = sum over rows of dy * xhat
//   dx = r * (g - xhat * mean(g * xhat))
export function rmsNormBackward(x: Tensor, weight: Tensor, dy: Tensor, eps: number): { dx: Tensor; dweight: Tensor } {
  const d = x.shape[x.shape.length - 1];
  const dx = new Float32Array(x.data.length);
  const dw = new Float64Array(d);
  for (let r = 0; r < x.data.length; r += d) {
    let ss = 0;
    for (let i = 0; i < d; i++) ss += x.data[r + i] * x.data[r + i];
    const inv = 1 / Math.sqrt(ss / d + eps);
    let dot = 0;
    for (let i = 0; i < d; i++) {
      const xhat = x.data[r + i] * inv;
      dw[i] += dy.data[r + i] * xhat;
      dot += dy.data[r + i] * weight.data[i] * xhat;
    }
    dot /= d;
    for (let i = 0; i < d; i++) {
      const xhat = x.data[r + i] * inv;
      dx[r + i] = inv * (dy.data[r + i] * weight.data[i] - xhat * dot);
    }
  }
  return { dx: { data: dx, shape: [...x.shape] }, dweight: { data: Float32Array.from(dw), shape: [d] } };
}
