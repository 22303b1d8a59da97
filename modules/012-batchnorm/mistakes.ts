// 012 batchnorm: known mistakes, each a wrong variant of the reference that the grader can recognise.
// The training variants return { y, runningMean, runningVar } only: the grader compares those fields,
// so a learner's own cache (whatever it holds) never stops a mistake from being named.
import type { Mistake, Tensor } from "../../src/core/types.ts";

type Cache = { xhat: Tensor; invStd: Tensor; gamma: Tensor };
const t = (data: Float32Array, shape: number[]): Tensor => ({ data, shape });

interface TrainOpts {
  /** divide the normalising variance by N - 1 */ unbiasedNorm?: boolean;
  /** update the running variance with the biased variance */ biasedRunning?: boolean;
  /** running = momentum * running + (1 - momentum) * batch */ swapMomentum?: boolean;
  /** 1 / (sqrt(var) + eps) */ epsOutside?: boolean;
}

function train(o: TrainOpts) {
  return (x: Tensor, gamma: Tensor, beta: Tensor, rm: Tensor, rv: Tensor, momentum = 0.1, eps = 1e-5) => {
    const [N, D] = x.shape as [number, number];
    if (N < 2) throw new Error("N = 1");
    const y = new Float32Array(N * D), m2 = new Float32Array(D), v2 = new Float32Array(D);
    for (let j = 0; j < D; j++) {
      let mean = 0;
      for (let i = 0; i < N; i++) mean += x.data[i * D + j]!;
      mean /= N;
      let ss = 0;
      for (let i = 0; i < N; i++) ss += (x.data[i * D + j]! - mean) ** 2;
      const v = o.unbiasedNorm ? ss / (N - 1) : ss / N;
      const inv = o.epsOutside ? 1 / (Math.sqrt(v) + eps) : 1 / Math.sqrt(v + eps);
      for (let i = 0; i < N; i++) y[i * D + j] = gamma.data[j]! * (x.data[i * D + j]! - mean) * inv + beta.data[j]!;
      const runV = o.biasedRunning ? ss / N : ss / (N - 1);
      const a = o.swapMomentum ? momentum : 1 - momentum;
      m2[j] = a * rm.data[j]! + (1 - a) * mean;
      v2[j] = a * rv.data[j]! + (1 - a) * runV;
    }
    return { y: t(y, [N, D]), runningMean: t(m2, [D]), runningVar: t(v2, [D]) };
  };
}

function backward(keepMean: boolean, keepVar: boolean) {
  return (dy: Tensor, cache: Cache) => {
    const [N, D] = dy.shape as [number, number];
    const dx = new Float32Array(N * D), dgamma = new Float32Array(D), dbeta = new Float32Array(D);
    for (let j = 0; j < D; j++) {
      let s = 0, sx = 0;
      for (let i = 0; i < N; i++) {
        s += dy.data[i * D + j]!;
        sx += dy.data[i * D + j]! * cache.xhat.data[i * D + j]!;
      }
      dbeta[j] = s;
      dgamma[j] = sx;
      const g = cache.gamma.data[j]!, inv = cache.invStd.data[j]!;
      for (let i = 0; i < N; i++) {
        let v = dy.data[i * D + j]! * g;
        if (keepMean) v -= (g * s) / N;
        if (keepVar) v -= (cache.xhat.data[i * D + j]! * g * sx) / N;
        dx[i * D + j] = inv * v;
      }
    }
    return { dx: t(dx, [N, D]), dgamma: t(dgamma, [D]), dbeta: t(dbeta, [D]) };
  };
}

/** Eval mode with the running statistics and the given 1/std of a running variance. */
function evalWith(invOf: (runningVar: number) => number) {
  return (x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor): Tensor => {
    const [N, D] = x.shape as [number, number];
    const y = new Float32Array(N * D);
    for (let j = 0; j < D; j++) {
      const inv = invOf(runningVar.data[j]!);
      for (let i = 0; i < N; i++) y[i * D + j] = gamma.data[j]! * (x.data[i * D + j]! - runningMean.data[j]!) * inv + beta.data[j]!;
    }
    return t(y, [N, D]);
  };
}

export const mistakes: Mistake[] = [
  {
    id: "running-var-biased",
    title: "running variance updated with the biased batch variance",
    lesson: "PyTorch normalises with the biased variance (divide by N) but updates runningVar with the unbiased one (divide by N - 1); with N = 2 the biased value is half the unbiased one. Use ss / (N - 1) for the running update",
    impl: { batchNormTrain: train({ biasedRunning: true }) },
  },
  {
    id: "normalize-with-unbiased-var",
    title: "y normalised with the unbiased variance",
    lesson: "the batch is normalised with the biased (population) variance, ss / N; the unbiased ss / (N - 1) is only for the running estimate. With N = 4 every xhat comes out sqrt(3/4) = 0.866 times too small",
    impl: { batchNormTrain: train({ unbiasedNorm: true }) },
  },
  {
    id: "momentum-swapped",
    title: "momentum weights the old running value",
    lesson: "PyTorch's rule is running = (1 - momentum) * running + momentum * batch, with momentum = 0.1: the new batch gets weight 0.1. (Keras and ONNX's BatchNormalization use the opposite convention, momentum = 0.99 on the old value)",
    impl: { batchNormTrain: train({ swapMomentum: true }) },
  },
  {
    id: "eps-outside-sqrt",
    title: "eps added outside the square root",
    lesson: "1 / (sqrt(var) + eps) differs from 1 / sqrt(var + eps) when var is small: at var = 1e-6 the first gives 990 and the second 302. Put eps inside the sqrt, as PyTorch does",
    impl: { batchNormTrain: train({ epsOutside: true }), batchNormEval: evalWith((v) => 1 / (Math.sqrt(v) + 1e-5)) },
  },
  {
    id: "eval-eps-left-out",
    title: "eval mode divides by sqrt(runningVar) without eps",
    lesson: "a feature whose running variance is 0 (a unit that never fired in training) gives 1/0 = Infinity: eval mode normalises with 1 / sqrt(runningVar + eps), the same eps as training",
    impl: { batchNormEval: evalWith((v) => 1 / Math.sqrt(v)) },
  },
  {
    id: "eval-uses-batch-stats",
    title: "eval mode normalises with the batch's own statistics",
    lesson: "at inference BatchNorm uses runningMean and runningVar, never the current batch (the output of one example must not depend on the others in its batch). Use the running estimates in batchNormEval",
    impl: {
      batchNormEval: (x: Tensor, gamma: Tensor, beta: Tensor) => {
        const [N, D] = x.shape as [number, number];
        const y = new Float32Array(N * D);
        for (let j = 0; j < D; j++) {
          let mean = 0;
          for (let i = 0; i < N; i++) mean += x.data[i * D + j]!;
          mean /= N;
          let ss = 0;
          for (let i = 0; i < N; i++) ss += (x.data[i * D + j]! - mean) ** 2;
          const inv = 1 / Math.sqrt(ss / N + 1e-5);
          for (let i = 0; i < N; i++) y[i * D + j] = gamma.data[j]! * (x.data[i * D + j]! - mean) * inv + beta.data[j]!;
        }
        return t(y, [N, D]);
      },
    },
  },
  {
    id: "backward-missing-mean-terms",
    title: "backward treats the batch mean and variance as constants (dx = dy * gamma * invStd)",
    lesson: "every x_i also moves the batch mean and variance, so dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)); a dy that is constant down a column must give dx = 0 (shifting all outputs is absorbed by the mean)",
    impl: { batchNormBackward: backward(false, false) },
  },
  {
    id: "backward-missing-variance-term",
    title: "backward keeps the mean term but drops the variance term",
    lesson: "the path through the variance contributes -xhat * mean(dxhat * xhat): dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)). A dy proportional to xhat must give dx = 0 (scaling the batch is absorbed by the variance)",
    impl: { batchNormBackward: backward(true, false) },
  },
];
