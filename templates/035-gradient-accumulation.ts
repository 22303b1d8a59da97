// 035 gradient-accumulation: one optimizer step per accumSteps micro-batches.
// N = rows, D = features, M = microBatch, A = accumSteps.
// Model: yhat = X w (no bias); loss = mean over the batch of (x_r . w - y_r)^2.
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Tolerance: accumulatedGradient atol 1e-5, rtol 1e-5; trainWithAccumulation atol 1e-5, rtol 1e-4
//   (|got - want| <= atol + rtol * |want|); both must also match the computation without micro-batches.
// Submit with: llmdrill submit gradient-accumulation

// accumulatedGradient: X is [N,D] with N = M*A, y is [N], w is [D]; returns dLoss/dw, [D],
// computed one micro-batch of M rows at a time (it must equal the full-batch gradient).
export function accumulatedGradient(X: Tensor, y: Tensor, w: Tensor, microBatch: number, accumSteps: number): Tensor {
  // TODO: sum over micro-batches of (micro-batch mean gradient) / accumSteps
  throw new Error("not implemented");
}

// trainWithAccumulation: X is [N,D] with N a multiple of M*A, y is [N], w is [D]; returns w after `steps` SGD steps.
// Step s uses effective batch b = s % (N / (M*A)), i.e. rows b*M*A .. (b+1)*M*A - 1, as A micro-batches.
export function trainWithAccumulation(X: Tensor, y: Tensor, w: Tensor, microBatch: number, accumSteps: number, lr: number, steps: number): Tensor {
  // TODO: per step: zero the accumulator, add A scaled micro-batch gradients, then one update w -= lr * acc
  throw new Error("not implemented");
}
