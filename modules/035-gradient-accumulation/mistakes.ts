// 035 gradient-accumulation: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";

interface Opts {
  /** weight of each micro-batch's mean gradient (reference: 1 / accumSteps) */
  microWeight: (A: number) => number;
  /** factor of the MSE gradient (reference: 2) */
  two?: number;
  /** step after every micro-batch instead of after accumSteps of them */
  stepEveryMicro?: boolean;
  /** keep the accumulated gradient across optimizer steps */
  noZeroGrad?: boolean;
}

function micro(X: Tensor, y: Tensor, w: Float64Array, r0: number, M: number, two: number): Float64Array {
  const D = w.length;
  const g = new Float64Array(D);
  for (let r = r0; r < r0 + M; r++) {
    let pred = 0;
    for (let j = 0; j < D; j++) pred += X.data[r * D + j]! * w[j]!;
    for (let j = 0; j < D; j++) g[j] += (two / M) * (pred - y.data[r]!) * X.data[r * D + j]!;
  }
  return g;
}

function variant(o: Opts) {
  const two = o.two ?? 2;
  return {
    accumulatedGradient(X: Tensor, y: Tensor, w: Tensor, M: number, A: number): Tensor {
      const cur = Float64Array.from(w.data);
      const acc = new Float64Array(cur.length);
      for (let k = 0; k < A; k++) {
        const g = micro(X, y, cur, k * M, M, two);
        for (let j = 0; j < acc.length; j++) acc[j] += o.microWeight(A) * g[j]!;
      }
      return { data: Float32Array.from(acc), shape: [cur.length] };
    },
    trainWithAccumulation(X: Tensor, y: Tensor, w: Tensor, M: number, A: number, lr: number, steps: number): Tensor {
      const batches = X.shape[0]! / (M * A);
      const cur = Float64Array.from(w.data);
      const acc = new Float64Array(cur.length);
      for (let s = 0; s < steps; s++) {
        const start = (s % batches) * M * A;
        if (!o.noZeroGrad) acc.fill(0);
        for (let k = 0; k < A; k++) {
          const g = micro(X, y, cur, start + k * M, M, two);
          for (let j = 0; j < acc.length; j++) acc[j] += o.microWeight(A) * g[j]!;
          if (o.stepEveryMicro) {
            for (let j = 0; j < cur.length; j++) cur[j] -= lr * acc[j]!;
            acc.fill(0);
          }
        }
        if (!o.stepEveryMicro) for (let j = 0; j < cur.length; j++) cur[j] -= lr * acc[j]!;
      }
      return { data: Float32Array.from(cur), shape: [cur.length] };
    },
  };
}

export const mistakes: Mistake[] = [
  {
    id: "loss-not-divided-by-accum-steps",
    title: "micro-batch losses summed, not divided by accumSteps",
    lesson: "each micro-batch loss is a mean over its M rows; summing A of them gives A times the full-batch gradient (an lr A times too large): scale each micro-batch loss (or gradient) by 1/accumSteps before backward",
    impl: variant({ microWeight: () => 1 }),
  },
  {
    id: "step-every-micro-batch",
    title: "optimizer stepped (and zeroed) after every micro-batch",
    lesson: "accumulation means A backward passes and ONE optimizer step: call step() and zero_grad() only when (k + 1) % accumSteps == 0; stepping each micro-batch is plain small-batch SGD with A steps and a gradient A times too small",
    impl: { trainWithAccumulation: variant({ microWeight: (A) => 1 / A, stepEveryMicro: true }).trainWithAccumulation },
  },
  {
    id: "no-zero-grad",
    title: "accumulated gradient not reset after the optimizer step",
    lesson: "the accumulator (PyTorch's .grad) keeps adding across steps unless zeroed: reset it to 0 after every optimizer step, or step 2 applies the gradients of steps 1 and 2",
    impl: { trainWithAccumulation: variant({ microWeight: (A) => 1 / A, noZeroGrad: true }).trainWithAccumulation },
  },
  {
    id: "mse-gradient-without-2",
    title: "MSE gradient without the factor 2",
    lesson: "d/dw mean((Xw - y)^2) = (2/M) X^T (Xw - y): the 2 comes from the square; without it the gradient is half the true one",
    impl: variant({ microWeight: (A) => 1 / A, two: 1 }),
  },
];
