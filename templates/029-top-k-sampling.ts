// 029 top-k sampling: keep the k largest logits, then sample in Hugging Face's order.
// V = vocabulary size, k = tokens kept. logits is [V]; u is a uniform draw in [0, 1); an id is a number in [0, V).
// Tensor = { data: Float32Array; shape: number[] }. Return new tensors; never modify inputs.
// Tolerance: exact (ids; filtered logits are copies of the input or -Infinity).
// Submit with: llmdrill submit top-k-sampling

// topKFilter: logits is [V], k >= 1; out is [V]: the top min(k, V) logits copied, every other entry -Infinity.
// Exactly min(k, V) survive: ties at the k-th value go to the lower index (as torch.topk and ONNX TopK).
export function topKFilter(logits: Tensor, k: number): Tensor {
  // TODO: keep i when fewer than k tokens beat it (larger logit, or equal logit at a lower index)
  throw new Error("not implemented");
}

// sampleTopK: logits is [V]; tau = 0 is greedy (argmax, ties to the lowest index). Otherwise:
// divide by tau, keep the top k, softmax, then the smallest i with cumsum_i > u
// (if the total stays <= u, the last index with positive probability).
export function sampleTopK(logits: Tensor, k: number, tau: number, u: number): number {
  // TODO: temperature, filter, softmax, inverse-CDF draw
  throw new Error("not implemented");
}
