// 030 top-p (nucleus) sampling: known mistakes, each a wrong variant the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { topPFilter } from "./reference.ts";

function softmax(x: ArrayLike<number>): number[] {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]!);
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** The learner's softmax without the max: exp(1000) overflows to Infinity and Infinity / Infinity is NaN. */
function softmaxNoMax(x: ArrayLike<number>): number[] {
  const e = Array.from(x, (v) => Math.exp(v));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** A top-p filter from an order of the tokens and a rule keep(rank, massBefore, massIncluding). */
function filterBy(x: Tensor, order: number[], keep: (r: number, before: number, including: number) => boolean, soft = softmax): Tensor {
  const probs = soft(x.data);
  const out = new Float32Array(x.data.length).fill(-Infinity);
  let before = 0;
  order.forEach((i, r) => {
    const including = before + probs[i]!;
    if (keep(r, before, including)) out[i] = x.data[i]!;
    before = including;
  });
  return { data: out, shape: [...x.shape] };
}

const descending = (x: Tensor, tiesHigh = false) =>
  Array.from(x.data, (_, i) => i).sort((a, b) => (x.data[a] === x.data[b] ? (tiesHigh ? b - a : a - b) : x.data[b]! - x.data[a]!));

function argmax(x: Tensor): number {
  let b = 0;
  for (let i = 1; i < x.data.length; i++) if (x.data[i]! > x.data[b]!) b = i;
  return b;
}

/** Inverse-CDF draw: smallest i with cumsum > u (>= u with atLeast, the mistake), else the last positive. */
function draw(logits: ArrayLike<number>, u: number, soft = softmax, atLeast = false): number {
  const q = soft(logits);
  let c = 0, last = -1;
  for (let i = 0; i < q.length; i++) {
    if (q[i]! > 0) last = i;
    c += q[i]!;
    if (c > u || (atLeast && c === u)) return i;
  }
  return last;
}

export const mistakes: Mistake[] = [
  {
    id: "cdf-greater-or-equal",
    title: "the draw stops at cumsum >= u instead of cumsum > u",
    lesson: "with logits [0, 5, 5], p = 0.9 and u = 0, token 0 is outside the nucleus (probability 0), yet its cumsum 0 already equals u, so it was drawn; take the smallest i with cumsum_i > u strictly, so a token the filter removed is never drawn",
    impl: {
      sampleTopP: (x: Tensor, p: number, tau: number, u: number) => {
        if (tau === 0) return argmax(x);
        const kept = topPFilter({ data: Float32Array.from(x.data, (v) => v / tau), shape: [...x.shape] }, p);
        return draw(kept.data, u, softmax, true);
      },
    },
  },
  {
    id: "crossing-token-dropped",
    title: "keeps only tokens whose cumulative mass (including themselves) stays below p: the token that crosses p is dropped",
    lesson: "for [1.5, -0.3, 2.2, 0.8, 0.1] the sorted probabilities are 0.513, 0.255, 0.127, ... (cumulative 0.513, 0.768, 0.895); with p = 0.8 the nucleus is 2.2, 1.5 AND 0.8: after two tokens the mass is 0.768 < 0.8, so the third token, which crosses p, is needed to reach it. Keep a token when the mass BEFORE it is < p",
    impl: {
      topPFilter: (x: Tensor, p: number, minKeep = 1) => filterBy(x, descending(x), (r, _b, inc) => p >= 1 || r < minKeep || inc < p),
    },
  },
  {
    id: "vocabulary-order",
    title: "cumulative mass summed in vocabulary order instead of sorted by probability",
    lesson: "the nucleus is the most likely tokens: sort descending (ties to the lower index) and accumulate in that order; summing in index order keeps whatever tokens come first",
    impl: {
      topPFilter: (x: Tensor, p: number, minKeep = 1) => filterBy(x, Array.from(x.data, (_, i) => i), (r, b) => p >= 1 || r < minKeep || b < p),
    },
  },
  {
    id: "ties-to-higher-index",
    title: "tied logits sorted with the higher index first",
    lesson: "with logits [1, 2, 1, 1] and p = 0.6 the nucleus is token 1 (0.475) and then the first of the tied tokens, token 0 (0.175), not token 3; sort equal logits by lower index first (a stable sort)",
    impl: {
      topPFilter: (x: Tensor, p: number, minKeep = 1) => filterBy(x, descending(x, true), (r, b) => p >= 1 || r < minKeep || b < p),
    },
  },
  {
    id: "p-one-by-rounding",
    title: "p = 1 not special-cased: tokens whose preceding mass rounds to 1 are dropped",
    lesson: "for logits [0, -80, -200] the top token's probability is 1 - 1.8e-35, which rounds to exactly 1, so 'mass before < 1' drops the others; the contract says p = 1 keeps every token: test p >= 1 first",
    impl: {
      topPFilter: (x: Tensor, p: number, minKeep = 1) => filterBy(x, descending(x), (r, b) => r < minKeep || b < p),
    },
  },
  {
    id: "min-keep-ignored",
    title: "minKeep ignored",
    lesson: "with p = 0.05 the nucleus is the top token alone, but minKeep = 3 asks for at least 3 tokens (Hugging Face's min_tokens_to_keep): always keep the first minKeep of the sorted order",
    impl: {
      topPFilter: (x: Tensor, p: number) => filterBy(x, descending(x), (r, b) => p >= 1 || r < 1 || b < p),
    },
  },
  {
    id: "temperature-after-filter",
    title: "the nucleus chosen from the raw logits, the temperature applied after the filter",
    lesson: "tau changes the probabilities, so it changes which tokens reach p: at tau 0.5 the logits [2, 1, 0.5, -1, 0] put 0.941 on the top 2 (nucleus of 2 for p = 0.9), at tau 1 only 0.770 (nucleus of 4). Hugging Face's order: divide by tau, then top-k, then top-p",
    impl: {
      sampleTopP: (x: Tensor, p: number, tau: number, u: number) => {
        if (tau === 0) return argmax(x);
        const f = topPFilter(x, p);
        return draw(Array.from(f.data, (v) => v / tau), u);
      },
    },
  },
  {
    id: "no-max-subtraction",
    title: "softmax as exp(x) / sum exp(x), without subtracting the max",
    lesson: "for logits [1000, 999, 990, 0] (or [10, 9.9, 8, -5] at tau = 0.01) exp(1000) overflows to Infinity and Infinity / Infinity is NaN: every 'mass before < p' test is false, so the nucleus shrinks to minKeep tokens ([1000, -inf, -inf, -inf] instead of [1000, 999, -inf, -inf]) and the draw finds no token. Subtract the max first: exp(x - max) has the same ratios and never exceeds 1",
    impl: {
      topPFilter: (x: Tensor, p: number, minKeep = 1) => filterBy(x, descending(x), (r, b) => p >= 1 || r < minKeep || b < p, softmaxNoMax),
      sampleTopP: (x: Tensor, p: number, tau: number, u: number) => {
        if (tau === 0) return argmax(x);
        const s = { data: Float32Array.from(x.data, (v) => v / tau), shape: [...x.shape] };
        const f = filterBy(s, descending(s), (r, b) => p >= 1 || r < 1 || b < p, softmaxNoMax);
        return draw(f.data, u, softmaxNoMax);
      },
    },
  },
  {
    id: "tau-zero-divides",
    title: "sampleTopP divides by tau = 0 instead of falling back to greedy",
    lesson: "logits / 0 is +-Infinity or NaN and softmax of that is NaN, so no token is drawn (-1 came back); tau = 0 means greedy: return argmax(logits)",
    impl: {
      sampleTopP: (x: Tensor, p: number, tau: number, u: number) => {
        const s = { data: Float32Array.from(x.data, (v) => v / tau), shape: [...x.shape] };
        return draw(topPFilter(s, p).data, u);
      },
    },
  },
];
