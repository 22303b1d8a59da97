// 015 rmsnorm: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";

type RowFn = (row: Float32Array, w: Float32Array, eps: number) => ArrayLike<number>;

function rowwise(x: Tensor, weight: Tensor, eps: number, f: RowFn): Tensor {
  const d = x.shape[x.shape.length - 1]!;
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length; r += d) out.set(f(x.data.subarray(r, r + d), weight.data, eps), r);
  return { data: out, shape: [...x.shape] };
}

const meanSq = (row: Float32Array) => row.reduce((a, v) => a + v * v, 0) / row.length;

/** The backward pass with a replaceable dx rule; dweight stays right unless `dwRule` is given. */
function backward(
  x: Tensor, weight: Tensor, dy: Tensor, eps: number,
  dxRule: (inv: number, g: number[], xhat: number[]) => number[],
  dwRule: (dyv: number, xhat: number) => number = (dyv, xhat) => dyv * xhat,
): { dx: Tensor; dweight: Tensor } {
  const d = x.shape[x.shape.length - 1]!;
  const dx = new Float32Array(x.data.length);
  const dw = new Float64Array(d);
  for (let r = 0; r < x.data.length; r += d) {
    const row = x.data.subarray(r, r + d);
    const inv = 1 / Math.sqrt(meanSq(row) + eps);
    const xhat = Array.from(row, (v) => v * inv);
    const g = Array.from({ length: d }, (_, i) => dy.data[r + i]! * weight.data[i]!);
    for (let i = 0; i < d; i++) dw[i] += dwRule(dy.data[r + i]!, xhat[i]!);
    dx.set(dxRule(inv, g, xhat), r);
  }
  return { dx: { data: dx, shape: [...x.shape] }, dweight: { data: Float32Array.from(dw), shape: [d] } };
}

export const mistakes: Mistake[] = [
  {
    id: "subtracts-mean",
    title: "subtracting the row mean (that is LayerNorm, not RMSNorm)",
    lesson: "RMSNorm only rescales: y = x / sqrt(mean(x^2) + eps) * weight. For the row [1, 2, 3] the RMS is 2.1602 and y = [0.4629, 0.9258, 1.3887]; centring first gives [-1.2247, 0, 1.2247], LayerNorm's answer. Do not subtract the mean and do not add a bias",
    impl: {
      rmsNorm: (x: Tensor, weight: Tensor, eps: number) => rowwise(x, weight, eps, (row, w, e) => {
        const mu = row.reduce((a, v) => a + v, 0) / row.length;
        const c = Array.from(row, (v) => v - mu);
        const inv = 1 / Math.sqrt(c.reduce((a, v) => a + v * v, 0) / row.length + e);
        return c.map((v, i) => v * inv * w[i]!);
      }),
    },
  },
  {
    id: "eps-outside-sqrt",
    title: "eps added outside the square root: x / (sqrt(mean(x^2)) + eps)",
    lesson: "eps belongs inside: 1/sqrt(mean(x^2) + eps). The two agree for ordinary rows, but for activations of size 1e-3 mean(x^2) = 1e-6 equals eps, and sqrt(2e-6) = 1.414e-3 is not sqrt(1e-6) + 1e-6 = 1.001e-3: the outputs differ by 41%. Llama and Hugging Face put eps inside",
    impl: {
      rmsNorm: (x: Tensor, weight: Tensor, eps: number) => rowwise(x, weight, eps, (row, w, e) => {
        const inv = 1 / (Math.sqrt(meanSq(row)) + e);
        return Array.from(row, (v, i) => v * inv * w[i]!);
      }),
    },
  },
  {
    id: "rms-without-mean",
    title: "the root of the sum of squares instead of the mean of squares",
    lesson: "divide the sum of squares by D before the square root: with D = 4 and x = [1, 1, 1, 1] the RMS is 1, not sqrt(4) = 2, so every output comes out sqrt(D) times too small",
    impl: {
      rmsNorm: (x: Tensor, weight: Tensor, eps: number) => rowwise(x, weight, eps, (row, w, e) => {
        const inv = 1 / Math.sqrt(row.reduce((a, v) => a + v * v, 0) + e);
        return Array.from(row, (v, i) => v * inv * w[i]!);
      }),
    },
  },
  {
    id: "backward-no-rms-term",
    title: "backward treats 1/rms as a constant: dx = dy * weight / rms",
    lesson: "the RMS depends on every x of the row, so dx has a second term: dx = r * (g - xhat * mean(g * xhat)) with r = 1/rms, xhat = x * r and g = dy * weight. Dropping it leaves dx with a component along x, which the normalisation removes (sum(dx * x) is 0 for the true gradient when eps is small)",
    impl: {
      rmsNormBackward: (x: Tensor, weight: Tensor, dy: Tensor, eps: number) => backward(x, weight, dy, eps, (inv, g) => g.map((v) => v * inv)),
    },
  },
  {
    id: "backward-layernorm",
    title: "backward with LayerNorm's extra mean term: dx = r * (g - mean(g) - xhat * mean(g * xhat))",
    lesson: "LayerNorm subtracts mean(g) because its forward subtracts the mean of x; RMSNorm's forward does not, so its gradient is r * (g - xhat * mean(g * xhat)) with no mean(g) term",
    impl: {
      rmsNormBackward: (x: Tensor, weight: Tensor, dy: Tensor, eps: number) => backward(x, weight, dy, eps, (inv, g, xhat) => {
        const mg = g.reduce((a, v) => a + v, 0) / g.length;
        const m = g.reduce((a, v, i) => a + v * xhat[i]!, 0) / g.length;
        return g.map((v, i) => inv * (v - mg - xhat[i]! * m));
      }),
    },
  },
  {
    id: "dweight-without-xhat",
    title: "dweight summed from dy alone (like a bias gradient)",
    lesson: "y = xhat * weight, so dweight = sum over rows of dy * xhat (xhat = x / rms); summing dy alone is the gradient of a bias, which RMSNorm does not have",
    impl: {
      rmsNormBackward: (x: Tensor, weight: Tensor, dy: Tensor, eps: number) =>
        backward(x, weight, dy, eps, (inv, g, xhat) => {
          const m = g.reduce((a, v, i) => a + v * xhat[i]!, 0) / g.length;
          return g.map((v, i) => inv * (v - xhat[i]! * m));
        }, (dyv) => dyv),
    },
  },
];
