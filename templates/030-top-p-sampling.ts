// 030 top-p (nucleus) sampling: keep the most likely tokens until their mass reaches p, then sample.
// V = vocabulary size. logits is [V]; p in (0, 1] is the nucleus mass; u is a uniform draw in [0, 1).
// Tensor = { data: Float32Array; shape: number[] }. Return new tensors; never modify inputs.
// Tolerance: exact (ids; filtered logits are copies of the input or -Infinity). Cases keep every
//   cumulative sum at least 1e-5 away from p.
// Submit with: llmdrill submit top-p-sampling

// topPFilter: logits is [V]; out is [V]: the nucleus' logits copied, every other entry -Infinity.
// Sort by logit descending (ties: lower index first); keep the smallest prefix whose softmax mass reaches p,
// the token that crosses p included; always keep at least minKeep tokens; p = 1 keeps every token.
export function topPFilter(logits: Tensor, p: number, minKeep = 1): Tensor {
  // TODO: softmax, sorted order, walk down it keeping tokens while the mass before them is < p
  throw new Error("not implemented");
}

// sampleTopP: logits is [V]; tau = 0 is greedy (argmax, ties to the lowest index). Otherwise:
// divide by tau, keep the nucleus, softmax, then the smallest i with cumsum_i > u
// (if the total stays <= u, the last index with positive probability).
export function sampleTopP(logits: Tensor, p: number, tau: number, u: number): number {
  // TODO: temperature first, then the filter, softmax, inverse-CDF draw
  throw new Error("not implemented");
}
