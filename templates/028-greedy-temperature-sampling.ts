// 028 greedy and temperature sampling: argmax, softmax with a temperature, and an inverse-CDF draw.
// V = vocabulary size. logits and probs are [V]; u is a uniform draw in [0, 1); an id is a number in [0, V).
// Tensor = { data: Float32Array; shape: number[] }. Return new tensors; never modify inputs.
// Tolerance: ids must match exactly; temperatureSoftmax atol 1e-6, rtol 1e-5
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit greedy-temperature-sampling

// greedy: logits is [V]; the index of the largest logit, ties to the lowest index.
export function greedy(logits: Tensor): number {
  // TODO: argmax over the logits
  throw new Error("not implemented");
}

// temperatureSoftmax: logits is [V], tau > 0; out is [V] = softmax(logits / tau).
export function temperatureSoftmax(logits: Tensor, tau: number): Tensor {
  // TODO: divide by tau, then a stable softmax (tau = 0.01 turns a logit of 10 into 1000)
  throw new Error("not implemented");
}

// sampleFromProbs: probs is [V], u in [0, 1); the smallest i with probs[0] + ... + probs[i] > u.
// If rounding leaves the total at or below u, return the last index with positive probability.
export function sampleFromProbs(probs: Tensor, u: number): number {
  // TODO: inverse CDF with a running sum
  throw new Error("not implemented");
}

// sample: logits is [V]; tau = 0 means greedy, otherwise draw from temperatureSoftmax(logits, tau) with u.
export function sample(logits: Tensor, tau: number, u: number): number {
  // TODO: combine the three functions above
  throw new Error("not implemented");
}
