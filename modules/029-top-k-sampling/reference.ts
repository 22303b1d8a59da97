// 029 top-k sampling: reference solution.
// V = vocabulary size, k = tokens kept. logits is [V]; u is a uniform draw in [0, 1); an id is a number in [0, V).

// topKFilter: logits is [V]; out is [V]: the k largest logits kept, every other entry -Infinity.
// Exactly min(k, V) are kept; ties at the k-th value go to the lower index (as torch.topk and ONNX TopK).
export function topKFilter(logits: Tensor, k: number): Tensor {
  const n = logits.data.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // rank of i in descending order, ties broken by index
    let rank = 0;
    for (let j = 0; j < n; j++) {
      if (logits.data[j] > logits.data[i] || (logits.data[j] === logits.data[i] && j < i)) rank++;
    }
    out[i] = rank < k ? logits.data[i] : -Infinity;
  }
  return { data: out, shape: [...logits.shape] };
}

// sampleTopK: logits is [V]; Hugging Face's order: logits / tau, keep the top k, softmax, inverse-CDF draw with u.
// tau = 0 is greedy (the argmax is always among the top k).
export function sampleTopK(logits: Tensor, k: number, tau: number, u: number): number {
  const n = logits.data.length;
  if (tau === 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (logits.data[i] > logits.data[best]) best = i;
    return best;
  }
  const scaled = new Array<number>(n);
  for (let i = 0; i < n; i++) scaled[i] = logits.data[i] / tau;
  const keep = topKFilter(logits, k); // dividing by tau > 0 keeps the order, so the same tokens survive
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (keep.data[i] !== -Infinity) max = Math.max(max, scaled[i]);
  const e = new Array<number>(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    e[i] = keep.data[i] === -Infinity ? 0 : Math.exp(scaled[i] - max);
    sum += e[i];
  }
  let cum = 0;
  let lastPositive = -1;
  for (let i = 0; i < n; i++) {
    const p = e[i] / sum;
    if (p > 0) lastPositive = i;
    cum += p;
    if (cum > u) return i;
  }
  return lastPositive;
}
