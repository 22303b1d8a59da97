// 009 cross-entropy: the mean cross-entropy loss of logits against class targets, and its gradient.
// N = rows (examples), V = classes. logits is [N,V] row-major: row n starts at data[n * V].
// targets is IntTensor { data: Int32Array; shape: [N] }, every value in [0, V) (no ignore index here).
// Logits go up to +-1e4: Math.exp(710) is Infinity in JavaScript.
// Tolerance: crossEntropy atol 1e-5, rtol 1e-5; crossEntropyBackward atol 1e-6, rtol 1e-5
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit cross-entropy

// crossEntropy: logits [N,V], targets [N] -> a number, the mean over rows of -log softmax(logits[n])[targets[n]]
export function crossEntropy(logits: Tensor, targets: IntTensor): number {
  // TODO: per row, log-sum-exp (row max taken out) minus the target logit; then the mean
  throw new Error("not implemented");
}

// crossEntropyBackward: logits [N,V], targets [N] -> dlogits [N,V], the gradient of the mean loss
export function crossEntropyBackward(logits: Tensor, targets: IntTensor): Tensor {
  // TODO: softmax of each row minus the one-hot target, scaled for the mean
  throw new Error("not implemented");
}
