// 029 top-k sampling: known mistakes, each a wrong variant the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { topKFilter } from "./reference.ts";

/** Keeps logits where keep(i) holds, -Infinity elsewhere. */
function keepWhere(x: Tensor, keep: (i: number) => boolean): Tensor {
  return { data: Float32Array.from(x.data, (v, i) => (keep(i) ? v : -Infinity)), shape: [...x.shape] };
}

/** The k-th largest value (k clamped to V when clamp is set). */
function kthValue(x: Tensor, k: number, clamp: boolean): number | undefined {
  const sorted = Array.from(x.data).sort((a, b) => b - a);
  return sorted[(clamp ? Math.min(k, sorted.length) : k) - 1];
}

/** Index of the largest value, ties to the lowest index. */
function argmax(x: Tensor): number {
  let b = 0;
  for (let i = 1; i < x.data.length; i++) if (x.data[i]! > x.data[b]!) b = i;
  return b;
}

/**
 * Inverse-CDF draw over weights w (not necessarily normalised): smallest i with cumsum > u (>= u with
 * atLeast, the mistake), else the last positive.
 */
function draw(w: number[], u: number, atLeast = false): number {
  let c = 0, last = -1;
  for (let i = 0; i < w.length; i++) {
    if (w[i]! > 0) last = i;
    c += w[i]!;
    if (c > u || (atLeast && c === u)) return i;
  }
  return last;
}

export const mistakes: Mistake[] = [
  {
    id: "keeps-all-ties",
    title: "keeps every logit >= the k-th value (ties at the k-th value all survive)",
    lesson: "with logits [1, 3, 2, 2, 0] and k = 2 the threshold 2 keeps three tokens; the contract (torch.topk, ONNX TopK) keeps exactly k, ties to the lower index: [-inf, 3, 2, -inf, -inf]. Hugging Face's TopKLogitsWarper does keep all ties, so know which one you are asked for",
    impl: {
      topKFilter: (x: Tensor, k: number) => {
        const t = kthValue(x, k, true)!;
        return keepWhere(x, (i) => x.data[i]! >= t);
      },
    },
  },
  {
    id: "ties-to-higher-index",
    title: "ties at the k-th value go to the higher index",
    lesson: "with logits [1, 3, 2, 2, 0] and k = 2 the second 2 (index 3) was kept instead of the first (index 2): rank equal logits by index, lower index first, as torch.topk and ONNX TopK do",
    impl: {
      topKFilter: (x: Tensor, k: number) => {
        const n = x.data.length;
        return keepWhere(x, (i) => {
          let rank = 0;
          for (let j = 0; j < n; j++) if (x.data[j]! > x.data[i]! || (x.data[j] === x.data[i] && j > i)) rank++;
          return rank < k;
        });
      },
    },
  },
  {
    id: "k-not-clamped",
    title: "k > V reads the k-th value past the end (undefined), so nothing is kept",
    lesson: "sorted[k - 1] is undefined when k > V and every comparison with undefined is false, so all logits became -Infinity: use min(k, V); k >= V keeps every token",
    impl: {
      topKFilter: (x: Tensor, k: number) => {
        const t = kthValue(x, k, false);
        if (t === undefined) return keepWhere(x, () => false);
        return topKFilter(x, k);
      },
    },
  },
  {
    id: "not-renormalised",
    title: "draws with the full-vocabulary softmax probabilities of the kept tokens, not renormalised",
    lesson: "zeroing the dropped tokens' probabilities leaves a total below 1 (0.563 + 0.207 = 0.770 for the top 2 of [2, 1, 0.5, -1, 0]), so u = 0.6 lands in the wrong token: apply softmax AFTER the filter (-Infinity gives exactly 0), which renormalises over the k survivors",
    impl: {
      sampleTopK: (x: Tensor, k: number, tau: number, u: number) => {
        if (tau === 0) return argmax(x);
        const s = Array.from(x.data, (v) => v / tau);
        const m = Math.max(...s);
        const e = s.map((v) => Math.exp(v - m));
        const z = e.reduce((a, b) => a + b, 0);
        const keep = topKFilter(x, k);
        return draw(e.map((v, i) => (keep.data[i] === -Infinity ? 0 : v / z)), u);
      },
    },
  },
  {
    id: "cdf-greater-or-equal",
    title: "the draw stops at cumsum >= u instead of cumsum > u",
    lesson: "with logits [0, 5, 5], k = 2 and u = 0, token 0 was filtered out (probability 0), yet its cumsum 0 already equals u, so it was drawn; take the smallest i with cumsum_i > u strictly, so a token the filter removed is never drawn",
    impl: {
      sampleTopK: (x: Tensor, k: number, tau: number, u: number) => {
        if (tau === 0) return argmax(x);
        const s = Array.from(topKFilter(x, k).data, (v) => v / tau);
        const m = Math.max(...s);
        const e = s.map((v) => Math.exp(v - m));
        const z = e.reduce((a, b) => a + b, 0);
        return draw(e.map((v) => v / z), u, true);
      },
    },
  },
  {
    id: "temperature-ignored",
    title: "sampleTopK forgets to divide the logits by tau",
    lesson: "the draw used softmax(logits) instead of softmax(logits / tau): tau = 0.5 should sharpen the kept tokens' distribution; divide by tau first (Hugging Face's order: temperature, top-k, top-p, softmax, draw)",
    impl: {
      sampleTopK: (x: Tensor, k: number, tau: number, u: number) => {
        if (tau === 0) return argmax(x);
        const keep = topKFilter(x, k);
        const m = Math.max(...x.data);
        const e = Array.from(keep.data, (v) => Math.exp(v - m));
        const z = e.reduce((a, b) => a + b, 0);
        return draw(e.map((v) => v / z), u);
      },
    },
  },
  {
    id: "no-max-subtraction",
    title: "softmax as exp(x) / sum exp(x), without subtracting the max",
    lesson: "at tau = 0.01 the logits [10, 9.9, 8, -5] become [1000, 990, 800, -500]; exp(1000) overflows to Infinity and Infinity / Infinity is NaN, so no token is drawn (-1 came back instead of 0). Subtract the max of the kept logits first: exp(x - max) has the same ratios and never exceeds 1",
    impl: {
      sampleTopK: (x: Tensor, k: number, tau: number, u: number) => {
        if (tau === 0) return argmax(x);
        const keep = topKFilter(x, k);
        const e = Array.from(keep.data, (v) => Math.exp(v / tau));
        const z = e.reduce((a, b) => a + b, 0);
        return draw(e.map((v) => v / z), u);
      },
    },
  },
  {
    id: "tau-zero-divides",
    title: "sampleTopK divides by tau = 0 instead of falling back to greedy",
    lesson: "logits / 0 is +-Infinity or NaN and softmax of that is NaN, so no token is drawn (-1 came back); tau = 0 means greedy: return argmax(logits)",
    impl: {
      sampleTopK: (x: Tensor, k: number, tau: number, u: number) => {
        const keep = topKFilter(x, k);
        const s = Array.from(keep.data, (v) => v / tau);
        const m = Math.max(...s);
        const e = s.map((v) => Math.exp(v - m));
        const z = e.reduce((a, b) => a + b, 0);
        return draw(e.map((v) => v / z), u);
      },
    },
  },
];
