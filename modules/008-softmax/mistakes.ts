// 008 softmax: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { softmax } from "./reference.ts";

function rowwise(x: Tensor, f: (row: Float32Array) => ArrayLike<number>): Tensor {
  const n = x.shape[x.shape.length - 1]!;
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length; r += n) out.set(f(x.data.subarray(r, r + n)), r);
  return { data: out, shape: [...x.shape] };
}

export const mistakes: Mistake[] = [
  {
    id: "no-max-subtraction",
    title: "softmax without subtracting the row max",
    lesson: "exp(x) overflows to Infinity for x > 709 (88 in float32) and Infinity/Infinity is NaN: softmax(x) = softmax(x - max(x)), so subtract the row max before exp",
    impl: {
      softmax: (x: Tensor) => rowwise(x, (row) => {
        const e = Array.from(row, Math.exp);
        const s = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / s);
      }),
    },
  },
  {
    id: "max-starts-at-zero",
    title: "row max initialised to 0 instead of -Infinity",
    lesson: "a row of very negative logits then keeps max = 0, every exp(x - 0) underflows to 0 and 0/0 is NaN: start the max at -Infinity (or at the row's first element)",
    impl: {
      softmax: (x: Tensor) => rowwise(x, (row) => {
        let m = 0;
        for (const v of row) m = Math.max(m, v);
        const e = Array.from(row, (v) => Math.exp(v - m));
        const s = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / s);
      }),
    },
  },
  {
    id: "log-of-softmax",
    title: "log-softmax computed as log(softmax(x))",
    lesson: "small probabilities round to 0 in float32 and log(0) = -Infinity: compute log-softmax as x - max - log(sum(exp(x - max))) (log-sum-exp), never as the log of a stored softmax",
    impl: {
      logSoftmax: (x: Tensor) => {
        const p = softmax(x);
        return { data: p.data.map((v) => Math.log(v)), shape: [...x.shape] };
      },
    },
  },
  {
    id: "logsumexp-without-max",
    title: "log-sum-exp without subtracting the max",
    lesson: "log(sum(exp(x))) overflows just like softmax does: compute it as max + log(sum(exp(x - max)))",
    impl: {
      logSoftmax: (x: Tensor) => rowwise(x, (row) => {
        const lse = Math.log(Array.from(row, Math.exp).reduce((a, b) => a + b, 0));
        return Array.from(row, (v) => v - lse);
      }),
    },
  },
  {
    id: "backward-elementwise",
    title: "softmax backward as y * dy (the Jacobian's diagonal only)",
    lesson: "each output of softmax depends on every input of its row: dx_i = y_i * (dy_i - sum_j y_j dy_j); the sum term is the off-diagonal part of the Jacobian",
    impl: {
      softmaxBackward: (y: Tensor, dy: Tensor) => ({ data: y.data.map((v, i) => v * dy.data[i]!), shape: [...y.shape] }),
    },
  },
];
