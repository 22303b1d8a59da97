// 009 cross-entropy: reference solution.
// N = rows (examples), V = classes (vocabulary). logits is [N,V]; targets is Int32 [N], each in [0, V).

// crossEntropy: logits [N,V], targets [N] -> mean over rows of -log softmax(logits[n])[targets[n]]
// per row: loss_n = logsumexp(logits[n]) - logits[n, t], with the row max taken out of the log-sum-exp
export function crossEntropy(logits: Tensor, targets: IntTensor): number {
  const [n, v] = logits.shape;
  let total = 0;
  for (let r = 0; r < n; r++) {
    const row = r * v;
    let max = -Infinity;
    for (let j = 0; j < v; j++) max = Math.max(max, logits.data[row + j]);
    let sum = 0;
    for (let j = 0; j < v; j++) sum += Math.exp(logits.data[row + j] - max);
    const lse = max + Math.log(sum);
    total += lse - logits.data[row + targets.data[r]];
  }
  return total / n;
}

// crossEntropyBackward: logits [N,V], targets [N] -> dlogits [N,V] = (softmax(logits) - onehot(targets)) / N
export function crossEntropyBackward(logits: Tensor, targets: IntTensor): Tensor {
  const [n, v] = logits.shape;
  const d = new Float32Array(n * v);
  for (let r = 0; r < n; r++) {
    const row = r * v;
    let max = -Infinity;
    for (let j = 0; j < v; j++) max = Math.max(max, logits.data[row + j]);
    let sum = 0;
    for (let j = 0; j < v; j++) sum += Math.exp(logits.data[row + j] - max);
    for (let j = 0; j < v; j++) {
      const p = Math.exp(logits.data[row + j] - max) / sum;
      d[row + j] = (p - (j === targets.data[r] ? 1 : 0)) / n;
    }
  }
  return { data: d, shape: [n, v] };
}
