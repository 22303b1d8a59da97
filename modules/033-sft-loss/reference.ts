// 033 sft-loss: reference solution.
// B = batch, T = sequence, V = vocabulary. logits[b,t] predicts labels[b,t+1] (the shift by one);
// labels equal to -100 (prompt, padding) are ignored; the loss is the mean over the counted targets.

const IGNORE = -100;

// sftLoss: logits is [B,T,V], labels is [B,T] (Int32); returns the mean cross-entropy over counted
// targets, 0 when no target is counted
export function sftLoss(logits: Tensor, labels: IntTensor): number {
  const [B, T, V] = logits.shape;
  let sum = 0;
  let count = 0;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t + 1 < T; t++) {
      const y = labels.data[b * T + t + 1];
      if (y === IGNORE) continue;
      const off = (b * T + t) * V;
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, logits.data[off + v]);
      let s = 0;
      for (let v = 0; v < V; v++) s += Math.exp(logits.data[off + v] - max);
      sum += max + Math.log(s) - logits.data[off + y];
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

// sftLossBackward: logits is [B,T,V], labels is [B,T]; dlogits is [B,T,V]
// dlogits[b,t] = (softmax(logits[b,t]) - onehot(labels[b,t+1])) / count for counted targets, 0 elsewhere
export function sftLossBackward(logits: Tensor, labels: IntTensor): Tensor {
  const [B, T, V] = logits.shape;
  const d = new Float32Array(B * T * V);
  let count = 0;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t + 1 < T; t++) if (labels.data[b * T + t + 1] !== IGNORE) count++;
  }
  if (count === 0) return { data: d, shape: [B, T, V] };
  for (let b = 0; b < B; b++) {
    for (let t = 0; t + 1 < T; t++) {
      const y = labels.data[b * T + t + 1];
      if (y === IGNORE) continue;
      const off = (b * T + t) * V;
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, logits.data[off + v]);
      let s = 0;
      for (let v = 0; v < V; v++) s += Math.exp(logits.data[off + v] - max);
      for (let v = 0; v < V; v++) {
        const p = Math.exp(logits.data[off + v] - max) / s;
        d[off + v] = (p - (v === y ? 1 : 0)) / count;
      }
    }
  }
  return { data: d, shape: [B, T, V] };
}
