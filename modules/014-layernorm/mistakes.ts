// 014 layernorm: known mistakes as wrong variants of the reference.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { layerNormBackward } from "./reference.ts";

type Stats = (row: Float32Array, eps: number) => { mean: number; denom: number };

function normWith(stats: Stats) {
  return (x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor => {
    const d = x.shape[x.shape.length - 1]!;
    const out = new Float32Array(x.data.length);
    for (let r = 0; r < x.data.length; r += d) {
      const row = x.data.subarray(r, r + d);
      const { mean, denom } = stats(row, eps);
      for (let i = 0; i < d; i++) out[r + i] = ((row[i]! - mean) / denom) * gamma.data[i]! + beta.data[i]!;
    }
    return { data: out, shape: [...x.shape] };
  };
}

const meanOf = (row: Float32Array) => row.reduce((a, b) => a + b, 0) / row.length;

/**
 * The reference backward with dx replaced, row by row, by dxRow(g, rstd) where g = dy * gamma
 * (dgamma and dbeta stay right).
 */
function backwardWith(dxRow: (g: number[], rstd: number) => number[]) {
  return (x: Tensor, gamma: Tensor, dy: Tensor, eps: number) => {
    const right = layerNormBackward(x, gamma, dy, eps);
    const d = x.shape[x.shape.length - 1]!;
    const dx = new Float32Array(x.data.length);
    for (let r = 0; r < x.data.length; r += d) {
      const row = x.data.subarray(r, r + d);
      const m = meanOf(row);
      const rstd = 1 / Math.sqrt(sqDev(row, m) / d + eps);
      const g = Array.from(row, (_, i) => dy.data[r + i]! * gamma.data[i]!);
      dx.set(dxRow(g, rstd), r);
    }
    return { ...right, dx: { data: dx, shape: [...x.shape] } };
  };
}
const sqDev = (row: Float32Array, m: number) => row.reduce((a, b) => a + (b - m) ** 2, 0);

/** The whole backward (dx, dgamma, dbeta) with 1/std computed by rstdOf(variance, eps). */
function backwardRstd(rstdOf: (variance: number, eps: number) => number) {
  return (x: Tensor, gamma: Tensor, dy: Tensor, eps: number) => {
    const d = x.shape[x.shape.length - 1]!;
    const dx = new Float32Array(x.data.length), dgamma = new Float64Array(d), dbeta = new Float64Array(d);
    for (let r = 0; r < x.data.length; r += d) {
      const row = x.data.subarray(r, r + d);
      const m = meanOf(row);
      const rstd = rstdOf(sqDev(row, m) / d, eps);
      const xhat = Array.from(row, (v) => (v - m) * rstd);
      const g = Array.from(row, (_, i) => dy.data[r + i]! * gamma.data[i]!);
      const mg = g.reduce((a, b) => a + b, 0) / d;
      const mgx = g.reduce((a, v, i) => a + v * xhat[i]!, 0) / d;
      for (let i = 0; i < d; i++) {
        dx[r + i] = rstd * (g[i]! - mg - xhat[i]! * mgx);
        dgamma[i] += dy.data[r + i]! * xhat[i]!;
        dbeta[i] += dy.data[r + i]!;
      }
    }
    return { dx: { data: dx, shape: [...x.shape] }, dgamma: { data: Float32Array.from(dgamma), shape: [d] }, dbeta: { data: Float32Array.from(dbeta), shape: [d] } };
  };
}

export const mistakes: Mistake[] = [
  {
    id: "one-pass-variance",
    title: "variance as E[x^2] - E[x]^2",
    lesson: "with mean 1e5 and spread 1e-2, E[x^2] ~ 1e10 and the variance ~ 1e-4: the subtraction cancels ~14 of float64's 16 digits. Subtract the mean first, then average the squares (two passes, or Welford)",
    impl: {
      layerNorm: normWith((row, eps) => {
        const m = meanOf(row);
        const ex2 = row.reduce((a, b) => a + b * b, 0) / row.length;
        return { mean: m, denom: Math.sqrt(ex2 - m * m + eps) };
      }),
    },
  },
  {
    id: "unbiased-variance",
    title: "unbiased variance (divide by D - 1)",
    lesson: "LayerNorm normalises with the population variance, sum((x - mean)^2) / D, as PyTorch does; D - 1 is for estimating a population from a sample (BatchNorm's running variance)",
    impl: {
      layerNorm: normWith((row, eps) => {
        const m = meanOf(row);
        return { mean: m, denom: Math.sqrt(sqDev(row, m) / (row.length - 1) + eps) };
      }),
    },
  },
  {
    id: "mean-in-float32",
    title: "row mean rounded to float32 (kept in a Float32Array or through Math.fround)",
    lesson: "at mean 1e5 float32 values are 0.0078 apart, so a float32 mean is off by up to 0.004, a third of a 1e-2 spread, and every x - mean inherits it; keep the row statistics in plain JS numbers (float64)",
    impl: {
      layerNorm: normWith((row, eps) => {
        const m = Math.fround(meanOf(row));
        return { mean: m, denom: Math.sqrt(sqDev(row, m) / row.length + eps) };
      }),
    },
  },
  {
    id: "eps-outside-sqrt",
    title: "eps added outside the square root",
    lesson: "the formula is (x - mean) / sqrt(var + eps); sqrt(var) + eps differs when var is comparable to eps (a spread of 1e-3 gives var ~5e-7 against eps 1e-5: 1.49 instead of 0.31)",
    impl: {
      layerNorm: normWith((row, eps) => {
        const m = meanOf(row);
        return { mean: m, denom: Math.sqrt(sqDev(row, m) / row.length) + eps };
      }),
    },
  },
  {
    id: "backward-eps-left-out",
    title: "backward normalises with 1/sqrt(var), without eps",
    lesson: "the backward must recompute exactly the forward's xhat and rstd = 1/sqrt(var + eps) with the same eps; leaving eps out (or putting it outside the sqrt) is invisible on rows of unit spread and wrong by a factor of up to 5 when the variance is near eps",
    impl: { layerNormBackward: backwardRstd((v) => 1 / Math.sqrt(v)) },
  },
  {
    id: "backward-eps-outside-sqrt",
    title: "backward normalises with 1/(sqrt(var) + eps)",
    lesson: "rstd = 1/sqrt(var + eps), in the backward as in the forward: with variance 5e-7 against eps 1e-5, 1/(sqrt(var) + eps) is 4.7 times too large",
    impl: { layerNormBackward: backwardRstd((v, eps) => 1 / (Math.sqrt(v) + eps)) },
  },
  {
    id: "backward-without-mean-terms",
    title: "backward as dy * gamma / std (mean and variance treated as constants)",
    lesson: "the mean and the variance depend on every x of the row: dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * gamma; dropping the two mean terms is wrong unless g has zero mean and is orthogonal to xhat",
    impl: { layerNormBackward: backwardWith((g, rstd) => g.map((v) => v * rstd)) },
  },
  {
    id: "backward-without-xhat-term",
    title: "backward without the variance term (only the mean subtracted)",
    lesson: "the variance path contributes -xhat * mean(g * xhat): dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), g = dy * gamma",
    impl: {
      layerNormBackward: backwardWith((g, rstd) => {
        const mg = g.reduce((a, b) => a + b, 0) / g.length;
        return g.map((v) => rstd * (v - mg));
      }),
    },
  },
];
