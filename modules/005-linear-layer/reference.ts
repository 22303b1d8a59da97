// 005 linear-layer: reference solution.
// in = input features, out = output features, N = number of rows = numel(x) / in
// (every leading axis of x, e.g. B*T for x [B,T,in], is flattened into rows).
// Weights are [in,out]: y = x @ W + b (PyTorch's nn.Linear stores [out,in] and computes x @ W.T + b).

// linearForward: x is [..., in], W is [in,out], b is [out]; y is [..., out]
export function linearForward(x: Tensor, W: Tensor, b: Tensor): Tensor {
  const [nIn, nOut] = W.shape;
  const N = x.data.length / nIn;
  const y = new Float32Array(N * nOut);
  for (let r = 0; r < N; r++) {
    for (let j = 0; j < nOut; j++) {
      let s = b.data[j];
      for (let i = 0; i < nIn; i++) s += x.data[r * nIn + i] * W.data[i * nOut + j];
      y[r * nOut + j] = s;
    }
  }
  return { data: y, shape: [...x.shape.slice(0, -1), nOut] };
}

// linearBackward: x is [..., in], W is [in,out], dy is [..., out]
// dx = dy @ W^T is [..., in]; dW = x2^T @ dy2 is [in,out] (x2 = x as [N,in], dy2 = dy as [N,out]);
// db = sum of dy over the N rows, [out]
export function linearBackward(x: Tensor, W: Tensor, dy: Tensor): { dx: Tensor; dW: Tensor; db: Tensor } {
  const [nIn, nOut] = W.shape;
  const N = x.data.length / nIn;
  const dx = new Float32Array(N * nIn);
  for (let r = 0; r < N; r++) {
    for (let i = 0; i < nIn; i++) {
      let s = 0;
      for (let j = 0; j < nOut; j++) s += dy.data[r * nOut + j] * W.data[i * nOut + j];
      dx[r * nIn + i] = s;
    }
  }
  const dW = new Float32Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) {
    for (let j = 0; j < nOut; j++) {
      let s = 0;
      for (let r = 0; r < N; r++) s += x.data[r * nIn + i] * dy.data[r * nOut + j];
      dW[i * nOut + j] = s;
    }
  }
  const db = new Float32Array(nOut);
  for (let j = 0; j < nOut; j++) {
    let s = 0;
    for (let r = 0; r < N; r++) s += dy.data[r * nOut + j];
    db[j] = s;
  }
  return {
    dx: { data: dx, shape: [...x.shape] },
    dW: { data: dW, shape: [nIn, nOut] },
    db: { data: db, shape: [nOut] },
  };
}
