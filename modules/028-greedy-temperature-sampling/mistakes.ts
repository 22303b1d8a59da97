// 028 greedy and temperature sampling: known mistakes, each a wrong variant the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { greedy, temperatureSoftmax } from "./reference.ts";

/** The inverse CDF with cumsum >= u: a zero-probability token is drawn when the cumsum before it equals u. */
function drawAtLeast(p: Tensor, u: number): number {
  let c = 0, last = -1;
  for (let i = 0; i < p.data.length; i++) {
    if (p.data[i]! > 0) last = i;
    if ((c += p.data[i]!) >= u) return i;
  }
  return last;
}

function softmaxOf(scaled: number[], shape: number[], subtractMax: boolean): Tensor {
  const m = subtractMax ? Math.max(...scaled) : 0;
  const e = scaled.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return { data: Float32Array.from(e, (v) => v / s), shape: [...shape] };
}

export const mistakes: Mistake[] = [
  {
    id: "greedy-ties-to-last",
    title: "greedy keeps the last of tied maxima (>= instead of >)",
    lesson: "with logits [1, 3, 0, 3] the answer is 1, not 3: update the best index only on a strictly larger logit, so ties go to the lowest index (as torch.argmax and ONNX ArgMax)",
    impl: {
      greedy: (x: Tensor) => {
        let b = 0;
        for (let i = 1; i < x.data.length; i++) if (x.data[i]! >= x.data[b]!) b = i;
        return b;
      },
    },
  },
  {
    id: "greedy-max-starts-at-zero",
    title: "greedy starts the running max at 0 instead of the first logit",
    lesson: "with logits [-3, -1, -2] no logit beats 0, so index 0 comes back instead of 1: start from the first logit (or -Infinity)",
    impl: {
      greedy: (x: Tensor) => {
        let b = 0, m = 0;
        for (let i = 0; i < x.data.length; i++) if (x.data[i]! > m) { m = x.data[i]!; b = i; }
        return b;
      },
    },
  },
  {
    id: "temperature-multiplied",
    title: "logits multiplied by the temperature instead of divided",
    lesson: "softmax(logits / tau): tau < 1 sharpens and tau > 1 flattens; multiplying does the opposite (tau 0.5 gives softmax(x/2), a flatter distribution, instead of softmax(2x))",
    impl: {
      temperatureSoftmax: (x: Tensor, tau: number) => softmaxOf(Array.from(x.data, (v) => v * tau), x.shape, true),
    },
  },
  {
    id: "no-max-subtraction",
    title: "temperature softmax without subtracting the max",
    lesson: "small tau blows logits up: 10 / 0.01 = 1000 and exp(1000) = Infinity, so Infinity / Infinity = NaN; subtract the max of logits / tau before exp",
    impl: {
      temperatureSoftmax: (x: Tensor, tau: number) => softmaxOf(Array.from(x.data, (v) => v / tau), x.shape, false),
    },
  },
  {
    id: "cdf-greater-or-equal",
    title: "inverse CDF stops at cumsum >= u instead of cumsum > u",
    lesson: "with probs [0, 0.5, 0.5] and u = 0 the first cumsum (0) already equals u, so the zero-probability token 0 is drawn; take the smallest i with cumsum_i > u strictly, so a token of probability 0 is never drawn",
    impl: {
      sampleFromProbs: drawAtLeast,
      sample: (x: Tensor, tau: number, u: number) => (tau === 0 ? greedy(x) : drawAtLeast(temperatureSoftmax(x, tau), u)),
    },
  },
  {
    id: "fallback-last-index",
    title: "when the total stays below u, falls back to index V-1 even if its probability is 0",
    lesson: "probs [0.3, 0.4, 0.2999, 0, 0] sum to 0.9999 < u = 0.99995: the answer is the last token with positive probability (2), not V-1 = 4, which has probability 0",
    impl: {
      sampleFromProbs: (p: Tensor, u: number) => {
        let c = 0;
        for (let i = 0; i < p.data.length; i++) if ((c += p.data[i]!) > u) return i;
        return p.data.length - 1;
      },
    },
  },
  {
    id: "no-fallback",
    title: "no fallback when the total stays below u: returns V (past the end)",
    lesson: "float32 probabilities rarely sum to exactly 1; when u is above the total the loop ends without an answer: return the last token with positive probability, never V or -1",
    impl: {
      sampleFromProbs: (p: Tensor, u: number) => {
        let c = 0;
        let i = 0;
        for (; i < p.data.length; i++) if ((c += p.data[i]!) > u) return i;
        return i;
      },
    },
  },
  {
    id: "tau-zero-divides",
    title: "sample divides by tau = 0 instead of falling back to greedy",
    lesson: "logits / 0 is +-Infinity or NaN and softmax of that is NaN, so no token is ever drawn; tau = 0 means greedy: return argmax(logits)",
    impl: {
      sample: (x: Tensor, tau: number, u: number) => {
        const p = temperatureSoftmax(x, tau);
        let c = 0, last = -1;
        for (let i = 0; i < p.data.length; i++) {
          if (p.data[i]! > 0) last = i;
          if ((c += p.data[i]!) > u) return i;
        }
        return last;
      },
    },
  },
];
