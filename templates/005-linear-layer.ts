// 005 linear-layer: y = x @ W + b and its backward pass.
// in = input features, out = output features, N = numel(x) / in rows (every leading axis of x is a row).
// W is [in,out] (the NumPy convention; PyTorch's nn.Linear stores [out,in] and computes x @ W.T + b).
// Tensor = { data: Float32Array; shape: number[] }, row-major: W[i,j] is W.data[i*out + j].
// Return new tensors; never modify inputs.
// Tolerance: rtol 1e-5, atol 1e-6 + 2.5e-7*K with K the length of each sum
//   (in for y, out for dx, N for dW and db); |got - want| <= atol + rtol * |want|.
// Submit with: llmdrill submit linear-layer

// linearForward: x is [..., in], W is [in,out], b is [out]; y is [..., out].
export function linearForward(x: Tensor, W: Tensor, b: Tensor): Tensor {
  // TODO: y[r,j] = b[j] + sum_i x[r,i] * W[i,j] for each of the N rows
  throw new Error("not implemented");
}

// linearBackward: x is [..., in], W is [in,out], dy = dL/dy is [..., out].
// dx is [..., in] (x's shape), dW is [in,out], db is [out].
export function linearBackward(x: Tensor, W: Tensor, dy: Tensor): { dx: Tensor; dW: Tensor; db: Tensor } {
  // TODO: dx = dy @ W^T, dW = x^T @ dy and db = sum of dy over all N rows
  throw new Error("not implemented");
}
