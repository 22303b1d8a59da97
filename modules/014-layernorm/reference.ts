// 014 layernorm: reference solution.
// D = size of the last axis (the features of one token). A tensor [..., D] holds R = data.length / D rows.
// Biased (population) variance, eps inside the square root: PyTorch's nn.LayerNorm.

// layerNorm: x is [..., D], gamma and beta are [D]; out is [..., D]
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor {
  const d = x.shape[x.shape.length - 1];
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length; r += d) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x.data[r + i];
    mean /= d;
    let variance = 0;
    for (let i = 0; i < d; i++) {
      const c = x.data[r + i] - mean;
      variance += c * c;
    }
    variance /= d;
    const rstd = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < d; i++) out[r + i] = (x.data[r + i] - mean) * rstd * gamma.data[i] + beta.data[i];
  }
  return { data: out, shape: [...x.shape] };
}

// layerNormBackward: x and dy are [..., D], gamma is [D]
// returns dx [..., D], dgamma [D], dbeta [D] (dgamma and dbeta sum over every row)
export function layerNormBackward(x: Tensor, gamma: Tensor, dy: Tensor, eps: number): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const d = x.shape[x.shape.length - 1];
  const dx = new Float32Array(x.data.length);
  const dgamma = new Float64Array(d);
  const dbeta = new Float64Array(d);
  const xhat = new Float64Array(d);
  const g = new Float64Array(d); // dL/dxhat = dy * gamma
  for (let r = 0; r < x.data.length; r += d) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x.data[r + i];
    mean /= d;
    let variance = 0;
    for (let i = 0; i < d; i++) variance += (x.data[r + i] - mean) ** 2;
    variance /= d;
    const rstd = 1 / Math.sqrt(variance + eps);
    let meanG = 0;
    let meanGX = 0;
    for (let i = 0; i < d; i++) {
      xhat[i] = (x.data[r + i] - mean) * rstd;
      g[i] = dy.data[r + i] * gamma.data[i];
      meanG += g[i];
      meanGX += g[i] * xhat[i];
      dgamma[i] += dy.data[r + i] * xhat[i];
      dbeta[i] += dy.data[r + i];
    }
    meanG /= d;
    meanGX /= d;
    // dx = rstd * (g - mean(g) - xhat * mean(g * xhat))
    for (let i = 0; i < d; i++) dx[r + i] = rstd * (g[i] - meanG - xhat[i] * meanGX);
  }
  return {
    dx: { data: dx, shape: [...x.shape] },
    dgamma: { data: Float32Array.from(dgamma), shape: [d] },
    dbeta: { data: Float32Array.from(dbeta), shape: [d] },
  };
}
