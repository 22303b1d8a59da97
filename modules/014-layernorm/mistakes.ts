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
