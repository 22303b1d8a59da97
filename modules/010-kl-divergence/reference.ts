// 010 kl-divergence: reference solution.
// N = rows, V = classes. pLogits and qLogits are [N,V]; P = softmax(pLogits), Q = softmax(qLogits) row by row.

// log-sum-exp of row r of x (the row max taken out); -Infinity logits contribute exp(-Infinity) = 0
function logSumExp(x: Tensor, r: number, v: number): number {
  let max = -Infinity;
  for (let j = 0; j < v; j++) max = Math.max(max, x.data[r * v + j]);
  let sum = 0;
  for (let j = 0; j < v; j++) sum += Math.exp(x.data[r * v + j] - max);
  return max + Math.log(sum);
}

// klDivergence: pLogits [N,V], qLogits [N,V] -> mean over rows of KL(P||Q) = sum_j p_j (log p_j - log q_j)
// terms with p_j = 0 contribute 0 (the limit of p log p), even where log p_j = -Infinity
export function klDivergence(pLogits: Tensor, qLogits: Tensor): number {
  const [n, v] = pLogits.shape;
  let total = 0;
  for (let r = 0; r < n; r++) {
    const lseP = logSumExp(pLogits, r, v);
    const lseQ = logSumExp(qLogits, r, v);
    for (let j = 0; j < v; j++) {
      const logP = pLogits.data[r * v + j] - lseP;
      const p = Math.exp(logP);
      if (p === 0) continue;
      total += p * (logP - (qLogits.data[r * v + j] - lseQ));
    }
  }
  return total / n;
}

// klDivergenceBackward: pLogits [N,V], qLogits [N,V] -> dq [N,V] = d KL / d qLogits = (Q - P) / N
export function klDivergenceBackward(pLogits: Tensor, qLogits: Tensor): Tensor {
  const [n, v] = pLogits.shape;
  const dq = new Float32Array(n * v);
  for (let r = 0; r < n; r++) {
    const lseP = logSumExp(pLogits, r, v);
    const lseQ = logSumExp(qLogits, r, v);
    for (let j = 0; j < v; j++) {
      const p = Math.exp(pLogits.data[r * v + j] - lseP);
      const q = Math.exp(qLogits.data[r * v + j] - lseQ);
      dq[r * v + j] = (q - p) / n;
    }
  }
  return { data: dq, shape: [n, v] };
}
