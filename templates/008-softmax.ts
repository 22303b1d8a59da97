// 008 softmax: softmax, log-softmax and the softmax backward pass, over the last axis.
// N = size of the last axis. A tensor of shape [..., N] holds data.length / N rows of N values.
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Tolerance: softmax atol 1e-6, rtol 1e-5; logSoftmax atol 1e-5, rtol 1e-5; softmaxBackward atol 1e-6, rtol 1e-4
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit softmax

// softmax: x is [..., N], out is [..., N]; each row over the last axis sums to 1.
// Must stay finite for logits of any size (try x = [1e4, 1e4 - 1]) and give exactly 0 for -Infinity.
export function softmax(x: Tensor): Tensor {
  // TODO: per row: the max, exp(x - max), the sum, divide
  throw new Error("not implemented");
}

// logSoftmax: x is [..., N], out is [..., N]; out = x - log(sum(exp(x))) over the last axis.
export function logSoftmax(x: Tensor): Tensor {
  // TODO: log-sum-exp with the max taken out; do not take the log of softmax
  throw new Error("not implemented");
}

// softmaxBackward: y = softmax(x) is [..., N], dy = dL/dy is [..., N]; returns dx = dL/dx, [..., N].
export function softmaxBackward(y: Tensor, dy: Tensor): Tensor {
  // TODO: the vector-Jacobian product of softmax, one row at a time
  throw new Error("not implemented");
}
