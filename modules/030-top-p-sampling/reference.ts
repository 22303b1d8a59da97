// 030 top-p (nucleus) sampling: reference solution.
// V = vocabulary size. logits is [V]; p in (0, 1] is the nucleus mass; u is a uniform draw in [0, 1).

// keepTopP: x is [V] (any numbers, -Infinity allowed); which tokens the nucleus keeps.
// Sort descending (ties: lower index first); keep a token while the mass before it is < p, so the token
// that crosses p is kept; always keep the first minKeep; p >= 1 keeps every token.
function keepTopP(x: ArrayLike<number>, p: number, minKeep: number): boolean[] {
  const n = x.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, x[i]);
  const probs = new Array<number>(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    probs[i] = Math.exp(x[i] - max);
    sum += probs[i];
  }
  for (let i = 0; i < n; i++) probs[i] /= sum;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (x[a] === x[b] ? a - b : x[a] > x[b] ? -1 : 1));
  const keep = new Array<boolean>(n).fill(false);
  let before = 0; // probability mass of the tokens ranked above
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (p >= 1 || r < minKeep || before < p) keep[i] = true;
    before += probs[i];
  }
  return keep;
}

// topPFilter: logits is [V]; out is [V]: the nucleus' logits copied, every other entry -Infinity
export function topPFilter(logits: Tensor, p: number, minKeep = 1): Tensor {
  const keep = keepTopP(logits.data, p, minKeep);
  const out = new Float32Array(logits.data.length);
  for (let i = 0; i < out.length; i++) out[i] = keep[i] ? logits.data[i] : -Infinity;
  return { data: out, shape: [...logits.shape] };
}

// sampleTopP: logits is [V]; Hugging Face's order: logits / tau, keep the nucleus, softmax, inverse-CDF draw.
// tau = 0 is greedy. Returns an id in [0, V).
export function sampleTopP(logits: Tensor, p: number, tau: number, u: number): number {
  const n = logits.data.length;
  if (tau === 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (logits.data[i] > logits.data[best]) best = i;
    return best;
  }
  const scaled = new Array<number>(n);
  for (let i = 0; i < n; i++) scaled[i] = logits.data[i] / tau;
  const keep = keepTopP(scaled, p, 1); // the temperature changes the probabilities, so filter after it
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (keep[i]) max = Math.max(max, scaled[i]);
  const e = new Array<number>(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    e[i] = keep[i] ? Math.exp(scaled[i] - max) : 0;
    sum += e[i];
  }
  let cum = 0;
  let lastPositive = -1;
  for (let i = 0; i < n; i++) {
    const q = e[i] / sum;
    if (q > 0) lastPositive = i;
    cum += q;
    if (cum > u) return i;
  }
  return lastPositive;
}
