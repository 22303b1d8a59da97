// 003 linear-regression: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";

/** Least squares through the normal equations with a chosen design and arithmetic. */
function solve(X: Tensor, y: Tensor, withBias: boolean, round: (v: number) => number): { w: Tensor; b: number } {
  const [N, D] = X.shape as [number, number];
  const P = withBias ? D + 1 : D;
  const M = Array.from({ length: P }, () => new Array<number>(P).fill(0));
  const v = new Array<number>(P).fill(0);
  for (let i = 0; i < N; i++) {
    const a = [...Array.from(X.data.subarray(i * D, i * D + D)), ...(withBias ? [1] : [])];
    for (let p = 0; p < P; p++) {
      for (let q = 0; q < P; q++) M[p]![q] = round(M[p]![q]! + round(a[p]! * a[q]!));
      v[p] = round(v[p]! + round(a[p]! * y.data[i]!));
    }
  }
  for (let c = 0; c < P; c++) {
    let piv = c;
    for (let r = c + 1; r < P; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    [M[piv], M[c]] = [M[c]!, M[piv]!];
    [v[piv], v[c]] = [v[c]!, v[piv]!];
    for (let r = c + 1; r < P; r++) {
      const f = round(M[r]![c]! / M[c]![c]!);
      for (let k = c; k < P; k++) M[r]![k] = round(M[r]![k]! - round(f * M[c]![k]!));
      v[r] = round(v[r]! - round(f * v[c]!));
    }
  }
  const th = new Array<number>(P).fill(0);
  for (let r = P - 1; r >= 0; r--) {
    let s = v[r]!;
    for (let k = r + 1; k < P; k++) s = round(s - round(M[r]![k]! * th[k]!));
    th[r] = round(s / M[r]![r]!);
  }
  return { w: { data: Float32Array.from(th.slice(0, D)), shape: [D] }, b: withBias ? th[D]! : 0 };
}

interface StepOpts { scale?: (n: number) => number; lossAfter?: boolean; sign?: number; freezeBias?: boolean }

function step(o: StepOpts) {
  return (X: Tensor, y: Tensor, w: Tensor, b: number, lr: number) => {
    const [N, D] = X.shape as [number, number];
    const lossOf = (ww: ArrayLike<number>, bb: number) => {
      let s = 0;
      for (let i = 0; i < N; i++) {
        let p = bb;
        for (let j = 0; j < D; j++) p += X.data[i * D + j]! * ww[j]!;
        s += (p - y.data[i]!) ** 2;
      }
      return s / N;
    };
    const gw = new Array<number>(D).fill(0);
    let gb = 0;
    for (let i = 0; i < N; i++) {
      let p = b;
      for (let j = 0; j < D; j++) p += X.data[i * D + j]! * w.data[j]!;
      const r = p - y.data[i]!;
      for (let j = 0; j < D; j++) gw[j] += r * X.data[i * D + j]!;
      gb += r;
    }
    const k = (o.scale ?? ((n: number) => 2 / n))(N) * (o.sign ?? 1);
    const nw = Float32Array.from(w.data, (v, j) => v - lr * k * gw[j]!);
    const nb = o.freezeBias ? b : b - lr * k * gb;
    return { w: { data: nw, shape: [D] }, b: nb, loss: o.lossAfter ? lossOf(nw, nb) : lossOf(w.data, b) };
  };
}

export const mistakes: Mistake[] = [
  {
    id: "no-bias-column",
    title: "normal equations without the column of ones (no intercept)",
    lesson: "solving X^T X w = X^T y forces the line through the origin: for y = 1.94 x + 1.09 it returns b = 0 and a wrong slope. Append a column of ones, A = [X, 1], solve A^T A theta = A^T y, and read b off the last entry",
    impl: { fitNormalEquations: (X: Tensor, y: Tensor) => solve(X, y, false, (v) => v) },
  },
  {
    id: "float32-solve",
    title: "normal equations formed and solved in float32",
    lesson: "forming A^T A squares the condition number: near-collinear columns (cond(A) ~ 1e3, cond(A^T A) ~ 1e6) leave float32's 7 digits with almost nothing, and the weights come out far off. Accumulate and solve in float64 (plain JS numbers, not Float32Array scratch)",
    impl: { fitNormalEquations: (X: Tensor, y: Tensor) => solve(X, y, true, Math.fround) },
  },
  {
    id: "grad-missing-2-over-n",
    title: "MSE gradient without the 2/N (X^T r summed)",
    lesson: "loss = (1/N) sum r^2, so dL/dw = (2/N) X^T r: without 2/N the step is N/2 times too large (32 times with N = 64) and gradient descent diverges at learning rates that should work",
    impl: { gradientStep: step({ scale: () => 1 }) },
  },
  {
    id: "grad-missing-2",
    title: "MSE gradient with 1/N but without the factor 2",
    lesson: "d(r^2)/dr = 2r: dL/dw = (2/N) X^T r, so leaving out the 2 halves every step",
    impl: { gradientStep: step({ scale: (n) => 1 / n }) },
  },
  {
    id: "loss-after-step",
    title: "loss measured after the update",
    lesson: "the contract (and every training loop's log) reports the loss of the parameters that produced the gradient, i.e. before the step; compute it in the same pass as the residuals",
    impl: { gradientStep: step({ lossAfter: true }) },
  },
  {
    id: "ascent",
    title: "step taken along the gradient (w + lr * grad)",
    lesson: "gradient descent subtracts: w <- w - lr * dL/dw; adding climbs the loss",
    impl: { gradientStep: step({ sign: -1 }) },
  },
  {
    id: "bias-not-updated",
    title: "bias left unchanged by the step",
    lesson: "b is a parameter too: dL/db = (2/N) sum(r), and b <- b - lr * dL/db",
    impl: { gradientStep: step({ freezeBias: true }) },
  },
];
