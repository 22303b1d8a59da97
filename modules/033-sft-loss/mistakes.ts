// 033 sft-loss: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { IntTensor, Mistake, Tensor } from "../../src/core/types.ts";

const IGNORE = -100;

/**
 * Cross-entropy and its gradient with the bookkeeping made configurable:
 * `shift` (1 = right, 0 = logits[t] scored against labels[t]), how the mean is taken, and 0/0 handling.
 */
function variant(opts: { shift: number; mean: "counted" | "all" | "per-sequence" | "none"; nanWhenEmpty?: boolean }) {
  const positions = (T: number) => T - opts.shift;
  function terms(logits: Tensor, labels: IntTensor) {
    const [B, T, V] = logits.shape as [number, number, number];
    const items: { b: number; off: number; y: number }[] = [];
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < positions(T); t++) {
        const y = labels.data[b * T + t + opts.shift]!;
        if (y !== IGNORE) items.push({ b, off: (b * T + t) * V, y });
      }
    }
    const weight = (b: number): number => {
      if (opts.mean === "none") return 1;
      if (opts.mean === "counted") return items.length === 0 && !opts.nanWhenEmpty ? 0 : 1 / items.length;
      if (opts.mean === "all") return 1 / (B * positions(T));
      const nb = items.filter((it) => it.b === b).length;
      return 1 / (nb * B);
    };
    return { B, T, V, items, weight };
  }
  const probsAt = (x: Float32Array, off: number, V: number) => {
    let m = -Infinity;
    for (let v = 0; v < V; v++) m = Math.max(m, x[off + v]!);
    let s = 0;
    for (let v = 0; v < V; v++) s += Math.exp(x[off + v]! - m);
    return { m, s };
  };
  return {
    sftLoss(logits: Tensor, labels: IntTensor): number {
      const { V, items, weight } = terms(logits, labels);
      if (items.length === 0) return opts.nanWhenEmpty ? 0 / 0 : 0;
      let loss = 0;
      for (const { b, off, y } of items) {
        const { m, s } = probsAt(logits.data, off, V);
        loss += weight(b) * (m + Math.log(s) - logits.data[off + y]!);
      }
      return loss;
    },
    sftLossBackward(logits: Tensor, labels: IntTensor): Tensor {
      const { B, T, V, items, weight } = terms(logits, labels);
      const d = new Float32Array(B * T * V);
      for (const { b, off, y } of items) {
        const { m, s } = probsAt(logits.data, off, V);
        const w = weight(b);
        for (let v = 0; v < V; v++) d[off + v] = w * (Math.exp(logits.data[off + v]! - m) / s - (v === y ? 1 : 0));
      }
      if (items.length === 0 && opts.nanWhenEmpty) d.fill(NaN);
      return { data: d, shape: [B, T, V] };
    },
  };
}

export const mistakes: Mistake[] = [
  {
    id: "no-shift",
    title: "logits[t] scored against labels[t] (no shift by one)",
    lesson: "a causal LM's logits at position t predict the NEXT token: score logits[:, t] against labels[:, t + 1] (so T - 1 targets per row, the last position predicts nothing); without the shift the model is trained to copy its input",
    impl: variant({ shift: 0, mean: "counted" }),
  },
  {
    id: "mean-over-all-tokens",
    title: "mean over all B*(T-1) positions, ignored ones included",
    lesson: "ignored (-100) targets add 0 to the sum but still count in the denominator, so the loss shrinks as the prompt grows: divide by the number of counted targets (labels != -100 after the shift)",
    impl: variant({ shift: 1, mean: "all" }),
  },
  {
    id: "per-sequence-mean",
    title: "mean per sequence, then mean over the batch",
    lesson: "averaging each sequence first weighs a token of a short answer more than a token of a long one: the SFT loss (and PyTorch's cross_entropy with ignore_index) is ONE mean over every counted token of the batch",
    impl: variant({ shift: 1, mean: "per-sequence" }),
  },
  {
    id: "nan-when-all-ignored",
    title: "0 / 0 = NaN when every label is ignored",
    lesson: "a batch whose labels are all -100 (a prompt-only chunk) has no counted target: the sum is 0 and the count is 0; return loss 0 and a zero gradient instead of NaN, which would poison every weight in the update",
    impl: variant({ shift: 1, mean: "counted", nanWhenEmpty: true }),
  },
  {
    id: "backward-not-divided-by-count",
    title: "gradient of the summed loss (not divided by the count)",
    lesson: "the loss is a mean over counted targets, so each row of the gradient is (softmax - onehot) / count; without the division the gradient is count times too large",
    impl: { sftLossBackward: variant({ shift: 1, mean: "none" }).sftLossBackward },
  },
];
