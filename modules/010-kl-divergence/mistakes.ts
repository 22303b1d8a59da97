// 010 kl-divergence: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { klDivergence } from "./reference.ts";

function rows(x: Tensor): number[][] {
  const [n, v] = x.shape as [number, number];
  return Array.from({ length: n }, (_, r) => Array.from(x.data.subarray(r * v, (r + 1) * v)));
}
function logSoftmax(row: number[], subtractMax = true): number[] {
  const m = subtractMax ? Math.max(...row) : 0;
  const lse = m + Math.log(row.reduce((a, x) => a + Math.exp(x - m), 0));
  return row.map((x) => x - lse);
}
const softmax = (row: number[]) => logSoftmax(row).map(Math.exp);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean over rows of f(row of P logits, row of Q logits). */
function perRow(p: Tensor, q: Tensor, f: (pr: number[], qr: number[]) => number): number[] {
  const qs = rows(q);
  return rows(p).map((pr, r) => f(pr, qs[r]!));
}

function grad(p: Tensor, q: Tensor, f: (pj: number, qj: number, n: number) => number): Tensor {
  const [n, v] = p.shape as [number, number];
  const qs = rows(q);
  const out = new Float32Array(n * v);
  rows(p).forEach((pr, r) => {
    const P = softmax(pr), Q = softmax(qs[r]!);
    for (let j = 0; j < v; j++) out[r * v + j] = f(P[j]!, Q[j]!, n);
  });
  return { data: out, shape: [n, v] };
}

export const mistakes: Mistake[] = [
  {
    id: "direction-swapped",
    title: "KL(Q||P) computed instead of KL(P||Q)",
    lesson: "KL is not symmetric: KL(P||Q) = sum_j p_j (log p_j - log q_j) weighs the log-ratio by P, the first argument (the target); swapping gives a different number",
    impl: { klDivergence: (p: Tensor, q: Tensor) => klDivergence(q, p) },
  },
  {
    id: "zero-probability-nan",
    title: "terms with p_j = 0 not skipped: 0 * (-Infinity) = NaN",
    lesson: "a -Infinity logit gives p_j = 0 and log p_j = -Infinity, and 0 * -Infinity is NaN: by the limit p log p -> 0, skip terms with p_j = 0",
    impl: {
      klDivergence: (p: Tensor, q: Tensor) =>
        mean(perRow(p, q, (pr, qr) => {
          const lp = logSoftmax(pr), lq = logSoftmax(qr);
          return lp.reduce((s, l, j) => s + Math.exp(l) * (l - lq[j]!), 0);
        })),
    },
  },
  {
    id: "log-of-probabilities",
    title: "log(p / q) taken from stored probabilities",
    lesson: "q_j = exp(-1000) rounds to 0 and log(p / 0) = Infinity, while the true KL is about 500: use log-softmax, log q_j = x_j - logsumexp(x), never the log of a stored probability",
    impl: {
      klDivergence: (p: Tensor, q: Tensor) =>
        mean(perRow(p, q, (pr, qr) => {
          const P = softmax(pr), Q = softmax(qr);
          return P.reduce((s, pj, j) => (pj > 0 ? s + pj * Math.log(pj / Q[j]!) : s), 0);
        })),
    },
  },
  {
    id: "logsumexp-without-max",
    title: "softmax or log-sum-exp without subtracting the row max",
    lesson: "exp(1e4) is Infinity and the result is NaN: subtract the row max inside the log-sum-exp",
    impl: {
      klDivergence: (p: Tensor, q: Tensor) =>
        mean(perRow(p, q, (pr, qr) => {
          const lp = logSoftmax(pr, false), lq = logSoftmax(qr, false);
          return lp.reduce((s, l, j) => (Math.exp(l) === 0 ? s : s + Math.exp(l) * (l - lq[j]!)), 0);
        })),
    },
  },
  {
    id: "sum-not-mean",
    title: "KL summed over rows instead of averaged",
    lesson: "the result is the mean over the N rows (PyTorch's reduction='batchmean'); the sum is N times larger",
    impl: { klDivergence: (p: Tensor, q: Tensor) => klDivergence(p, q) * p.shape[0]! },
  },
  {
    id: "backward-sign-flipped",
    title: "gradient written as (P - Q) / N",
    lesson: "d KL / d qLogits_j = q_j - p_j (divided by N): moving Q toward P must lower the loss, so the gradient is positive where q_j > p_j",
    impl: { klDivergenceBackward: (p: Tensor, q: Tensor) => grad(p, q, (pj, qj, n) => (pj - qj) / n) },
  },
  {
    id: "backward-missing-1-over-n",
    title: "gradient without the 1/N of the mean",
    lesson: "the KL is a mean over N rows, so each row's gradient Q - P is divided by N",
    impl: { klDivergenceBackward: (p: Tensor, q: Tensor) => grad(p, q, (pj, qj) => qj - pj) },
  },
  {
    id: "backward-wrt-q-probabilities",
    title: "gradient with respect to the probabilities q (-p / q) instead of the logits",
    lesson: "d KL / d q_j = -p_j / q_j is the gradient with respect to the probabilities; through the softmax it becomes d KL / d qLogits_j = q_j - p_j",
    impl: { klDivergenceBackward: (p: Tensor, q: Tensor) => grad(p, q, (pj, qj, n) => -pj / qj / n) },
  },
];
