// 009 cross-entropy: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { IntTensor, Mistake, Tensor } from "../../src/core/types.ts";
import { crossEntropy } from "./reference.ts";

/** Per-row loss from a function of (row values, target). */
function rowLoss(logits: Tensor, targets: IntTensor, f: (row: Float32Array, t: number, r: number) => number): number[] {
  const [n, v] = logits.shape as [number, number];
  return Array.from({ length: n }, (_, r) => f(logits.data.subarray(r * v, (r + 1) * v), targets.data[r]!, r));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function probsOf(row: Float32Array, subtractMax: boolean): number[] {
  const m = subtractMax ? Math.max(...row) : 0;
  const e = Array.from(row, (x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

function gradFromProbs(logits: Tensor, targets: IntTensor, subtractMax: boolean, scale: (n: number) => number, sign = 1): Tensor {
  const [n, v] = logits.shape as [number, number];
  const d = new Float32Array(n * v);
  for (let r = 0; r < n; r++) {
    const p = probsOf(logits.data.subarray(r * v, (r + 1) * v), subtractMax);
    for (let j = 0; j < v; j++) d[r * v + j] = (sign * (p[j]! - (j === targets.data[r] ? 1 : 0))) / scale(n);
  }
  return { data: d, shape: [n, v] };
}

export const mistakes: Mistake[] = [
  {
    id: "logsumexp-without-max",
    title: "log(sum(exp(logits))) without subtracting the row max",
    lesson: "exp(1e4) is Infinity, so the loss becomes Infinity or NaN: loss_n = m + log(sum_j exp(x_j - m)) - x_t with m the row max",
    impl: {
      crossEntropy: (logits: Tensor, targets: IntTensor) =>
        mean(rowLoss(logits, targets, (row, t) => Math.log(Array.from(row, Math.exp).reduce((a, b) => a + b, 0)) - row[t]!)),
    },
  },
  {
    id: "log-of-softmax",
    title: "loss computed as -log(softmax(x)[t])",
    lesson: "when the target logit is 1000 below the row max its probability exp(-1000) rounds to 0 and -log(0) = Infinity, while the true loss is 1000: compute logsumexp(x) - x_t and never take the log of a stored probability",
    impl: { crossEntropy: (logits: Tensor, targets: IntTensor) => mean(rowLoss(logits, targets, (row, t) => -Math.log(probsOf(row, true)[t]!))) },
  },
  {
    id: "sum-not-mean",
    title: "loss summed over rows instead of averaged",
    lesson: "the loss is the mean over the N rows (PyTorch's reduction='mean'); the sum is N times larger and makes the learning rate depend on the batch size",
    impl: { crossEntropy: (logits: Tensor, targets: IntTensor) => crossEntropy(logits, targets) * logits.shape[0]! },
  },
  {
    id: "target-not-offset-by-row",
    title: "target logit read as logits.data[t] instead of logits.data[n * V + t]",
    lesson: "row n of a row-major [N,V] tensor starts at n * V: index the target logit as data[n * V + targets[n]]",
    impl: {
      crossEntropy: (logits: Tensor, targets: IntTensor) =>
        mean(rowLoss(logits, targets, (row, t) => {
          const m = Math.max(...row);
          return m + Math.log(Array.from(row, (x) => Math.exp(x - m)).reduce((a, b) => a + b, 0)) - logits.data[t]!;
        })),
    },
  },
  {
    id: "backward-missing-1-over-n",
    title: "gradient without the 1/N of the mean",
    lesson: "the loss is a mean over N rows, so each row's gradient softmax - onehot is divided by N (with N = 2 the answer is half of yours)",
    impl: { crossEntropyBackward: (logits: Tensor, targets: IntTensor) => gradFromProbs(logits, targets, true, () => 1) },
  },
  {
    id: "backward-sign-flipped",
    title: "gradient written as onehot - softmax",
    lesson: "d loss / d logit_j = softmax_j - [j = t]: raising the target logit lowers the loss, so its gradient is negative",
    impl: { crossEntropyBackward: (logits: Tensor, targets: IntTensor) => gradFromProbs(logits, targets, true, (n) => n, -1) },
  },
  {
    id: "backward-softmax-without-max",
    title: "softmax in the backward pass without subtracting the row max",
    lesson: "exp(1e4) = Infinity and Infinity / Infinity = NaN: subtract the row max before exp in the backward pass too",
    impl: { crossEntropyBackward: (logits: Tensor, targets: IntTensor) => gradFromProbs(logits, targets, false, (n) => n) },
  },
];
