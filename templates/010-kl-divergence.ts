// 010 kl-divergence: KL(P||Q) between two softmax distributions given by logits, and its gradient.
// N = rows, V = classes. pLogits and qLogits are [N,V] row-major: row n starts at data[n * V].
// P = softmax(pLogits) (the target), Q = softmax(qLogits) (the model), row by row.
// A -Infinity logit is a class with probability 0; logits go up to +-1e4 (Math.exp(710) is Infinity).
// Tolerance: klDivergence atol 1e-5, rtol 1e-5; klDivergenceBackward atol 1e-6, rtol 1e-5
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit kl-divergence

// klDivergence: pLogits [N,V], qLogits [N,V] -> a number, the mean over rows of sum_j p_j (log p_j - log q_j)
export function klDivergence(pLogits: Tensor, qLogits: Tensor): number {
  // TODO: log-softmax of both rows, the p-weighted sum (0 log 0 = 0), then the mean over rows
  throw new Error("not implemented");
}

// klDivergenceBackward: pLogits [N,V], qLogits [N,V] -> dq [N,V], the gradient with respect to qLogits
export function klDivergenceBackward(pLogits: Tensor, qLogits: Tensor): Tensor {
  // TODO: derive d KL / d qLogits through the softmax of Q
  throw new Error("not implemented");
}
