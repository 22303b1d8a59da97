// 033 sft-loss: the supervised fine-tuning loss of a causal LM and its gradient.
// B = batch, T = sequence, V = vocabulary.
// Tensor = { data: Float32Array; shape: number[] }, IntTensor = { data: Int32Array; shape }, row-major.
// logits[b,t] predicts the NEXT token: its target is labels[b,t+1]; labels equal to -100 are ignored.
// Return new tensors; never modify inputs.
// Tolerance: sftLoss atol 1e-5, rtol 1e-5; sftLossBackward atol 1e-6, rtol 1e-4
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit sft-loss

// sftLoss: logits is [B,T,V], labels is [B,T]; returns the mean cross-entropy over counted targets
// (0 when every target is ignored).
export function sftLoss(logits: Tensor, labels: IntTensor): number {
  // TODO: shift by one, skip -100, log-sum-exp per row, one mean over the counted targets
  throw new Error("not implemented");
}

// sftLossBackward: logits is [B,T,V], labels is [B,T]; returns dlogits, [B,T,V].
export function sftLossBackward(logits: Tensor, labels: IntTensor): Tensor {
  // TODO: (softmax - onehot) / count on counted rows, 0 everywhere else
  throw new Error("not implemented");
}
