// 032 gradient clipping: known mistakes, each a wrong variant the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";

const sumSq = (g: Tensor) => g.data.reduce((a, x) => a + x * x, 0);
const scaled = (g: Tensor, s: number): Tensor => ({ data: Float32Array.from(g.data, (x) => x * s), shape: [...g.shape] });
const globalNorm = (gs: Tensor[]) => Math.sqrt(gs.reduce((a, g) => a + sumSq(g), 0));

export const mistakes: Mistake[] = [
  {
    id: "per-tensor-norm",
    title: "each tensor clipped by its own norm instead of the global norm",
    lesson: "clip_grad_norm_ treats all gradients as one vector: with norms 5 and 1 and maxNorm 2 the global norm is sqrt(26) = 5.10, so both tensors are scaled by 0.392; clipping per tensor scales only the first and changes the update's direction",
    impl: {
      clipGradNorm: (gs: Tensor[], maxNorm: number) => {
        const out = gs.map((g) => {
          const n = Math.sqrt(sumSq(g));
          const c = maxNorm / (n + 1e-6);
          return scaled(g, c < 1 ? c : 1);
        });
        return { grads: out, totalNorm: globalNorm(gs) };
      },
    },
  },
  {
    id: "scales-when-below",
    title: "the coefficient is applied even when the norm is already below the limit",
    lesson: "coef = maxNorm / (total + 1e-6) is above 1 when total < maxNorm; multiplying by it scales small gradients UP to the limit. Clip only when coef < 1 (PyTorch clamps coef to at most 1)",
    impl: {
      clipGradNorm: (gs: Tensor[], maxNorm: number) => {
        const total = globalNorm(gs);
        return { grads: gs.map((g) => scaled(g, maxNorm / (total + 1e-6))), totalNorm: total };
      },
    },
  },
  {
    id: "no-eps",
    title: "coef = maxNorm / total, without the + 1e-6",
    lesson: "for a gradient of norm 0.002 and maxNorm 0.001, PyTorch's coefficient is 0.001 / 0.002001 = 0.49975, not 0.5; the 1e-6 also keeps an all-zero gradient away from 0/0. Use maxNorm / (total + 1e-6)",
    impl: {
      clipGradNorm: (gs: Tensor[], maxNorm: number) => {
        const total = globalNorm(gs);
        const c = maxNorm / total;
        return { grads: gs.map((g) => scaled(g, c < 1 ? c : 1)), totalNorm: total };
      },
    },
  },
  {
    id: "returns-clipped-norm",
    title: "returns the norm after clipping instead of before",
    lesson: "clip_grad_norm_ returns the total norm of the gradients as they came in (5 in the worked example), which is what training logs plot to spot spikes; the clipped norm is just maxNorm",
    impl: {
      clipGradNorm: (gs: Tensor[], maxNorm: number) => {
        const total = globalNorm(gs);
        const c = maxNorm / (total + 1e-6);
        const out = gs.map((g) => scaled(g, c < 1 ? c : 1));
        return { grads: out, totalNorm: globalNorm(out) };
      },
    },
  },
  {
    id: "clip-by-value",
    title: "each element clamped to [-maxNorm, maxNorm] (clip by value, not by norm)",
    lesson: "clipping by value changes the gradient's direction and ignores the total size; clip by norm rescales the whole gradient by one coefficient, keeping its direction",
    impl: {
      clipGradNorm: (gs: Tensor[], maxNorm: number) => ({
        grads: gs.map((g) => ({ data: Float32Array.from(g.data, (x) => Math.max(-maxNorm, Math.min(maxNorm, x))), shape: [...g.shape] })),
        totalNorm: globalNorm(gs),
      }),
    },
  },
  {
    id: "norms-added",
    title: "per-tensor norms added instead of the square root of the total sum of squares",
    lesson: "the global norm is sqrt(sum_k ||g_k||^2) (sqrt(5 + 20) = 5 in the worked example), not sum_k ||g_k|| (2.24 + 4.47 = 6.71)",
    impl: {
      clipGradNorm: (gs: Tensor[], maxNorm: number) => {
        const total = gs.reduce((a, g) => a + Math.sqrt(sumSq(g)), 0);
        const c = maxNorm / (total + 1e-6);
        return { grads: gs.map((g) => scaled(g, c < 1 ? c : 1)), totalNorm: total };
      },
    },
  },
];
