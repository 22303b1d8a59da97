// 028 greedy and temperature sampling: reference solution.
// V = vocabulary size. logits and probs are [V]; u is a uniform draw in [0, 1); an id is a number in [0, V).

// greedy: logits is [V]; the index of the largest logit, ties to the lowest index
export function greedy(logits: Tensor): number {
  let best = 0;
  for (let i = 1; i < logits.data.length; i++) if (logits.data[i] > logits.data[best]) best = i;
  return best;
}

// temperatureSoftmax: logits is [V], tau > 0; out is [V] = softmax(logits / tau)
export function temperatureSoftmax(logits: Tensor, tau: number): Tensor {
  const n = logits.data.length;
  const out = new Float32Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits.data[i] / tau);
  const e = new Array<number>(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    e[i] = Math.exp(logits.data[i] / tau - max);
    sum += e[i];
  }
  for (let i = 0; i < n; i++) out[i] = e[i] / sum;
  return { data: out, shape: [...logits.shape] };
}

// sampleFromProbs: probs is [V]; the smallest i with cumsum_i > u (inverse CDF);
// if rounding leaves the total at or below u, the last index with positive probability
export function sampleFromProbs(probs: Tensor, u: number): number {
  let cum = 0;
  let lastPositive = -1;
  for (let i = 0; i < probs.data.length; i++) {
    if (probs.data[i] > 0) lastPositive = i;
    cum += probs.data[i];
    if (cum > u) return i;
  }
  return lastPositive;
}

// sample: logits is [V]; tau = 0 is greedy, otherwise an inverse-CDF draw from softmax(logits / tau)
export function sample(logits: Tensor, tau: number, u: number): number {
  if (tau === 0) return greedy(logits);
  return sampleFromProbs(temperatureSoftmax(logits, tau), u);
}
