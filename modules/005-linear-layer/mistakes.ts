// 005 linear-layer: known mistakes, each a wrong variant of the reference.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { linearBackward } from "./reference.ts";

const scale = (t: Tensor, s: number): Tensor => ({ data: t.data.map((v) => v * s), shape: [...t.shape] });

export const mistakes: Mistake[] = [
  {
    id: "weight-as-out-in",
    title: "W read as PyTorch's [out,in] layout (x @ W.T) when it is stored [in,out]",
    lesson: "here W is [in,out] and W[i,j] sits at W.data[i*out + j]; reading W.data[j*in + i] is PyTorch's nn.Linear layout ([out,in], y = x @ W.T + b). Same memory, different matrix: index W by (input i, output j) with stride out",
    impl: {
      linearForward: (x: Tensor, W: Tensor, b: Tensor) => {
        const [nIn, nOut] = W.shape as [number, number];
        const N = x.data.length / nIn;
        const y = new Float32Array(N * nOut);
        for (let r = 0; r < N; r++) for (let j = 0; j < nOut; j++) {
          let s = b.data[j]!;
          for (let i = 0; i < nIn; i++) s += x.data[r * nIn + i]! * W.data[j * nIn + i]!;
          y[r * nOut + j] = s;
        }
        return { data: y, shape: [...x.shape.slice(0, -1), nOut] };
      },
    },
  },
  {
    id: "dW-as-dyT-x",
    title: "dW computed as dy^T @ x ([out,in]) instead of x^T @ dy ([in,out])",
    lesson: "dW must have W's shape [in,out]: dW[i,j] = sum_r x[r,i] * dy[r,j] = (x^T @ dy)[i,j]. dy^T @ x is its transpose, [out,in]: the wrong shape when in != out and transposed values when in = out. Check the shape of every gradient against its parameter",
    impl: {
      linearBackward: (x: Tensor, W: Tensor, dy: Tensor) => {
        const [nIn, nOut] = W.shape as [number, number];
        const g = linearBackward(x, W, dy);
        const t = new Float32Array(nIn * nOut);
        for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) t[j * nIn + i] = g.dW.data[i * nOut + j]!;
        return { dx: g.dx, dW: { data: t, shape: [nOut, nIn] }, db: g.db };
      },
    },
  },
  {
    id: "rows-from-first-axis",
    title: "dW and db summed over x.shape[0] rows only: a 3-D x [B,T,in] not flattened to [B*T,in]",
    lesson: "every token is a row: for x [B,T,in] the weight gradient sums over all N = B*T = numel(x)/in rows. Taking N = x.shape[0] (= B) only uses the first B tokens. Flatten the leading axes: N = x.data.length / in",
    impl: {
      linearBackward: (x: Tensor, W: Tensor, dy: Tensor) => {
        const [nIn, nOut] = W.shape as [number, number];
        const N = x.shape[0]!;
        const g = linearBackward(x, W, dy);
        const dW = new Float32Array(nIn * nOut);
        const db = new Float32Array(nOut);
        for (let r = 0; r < N; r++) for (let j = 0; j < nOut; j++) {
          db[j] += dy.data[r * nOut + j]!;
          for (let i = 0; i < nIn; i++) dW[i * nOut + j] += x.data[r * nIn + i]! * dy.data[r * nOut + j]!;
        }
        return { dx: g.dx, dW: { data: dW, shape: [nIn, nOut] }, db: { data: db, shape: [nOut] } };
      },
    },
  },
  {
    id: "gradients-averaged",
    title: "dW and db divided by the number of rows",
    lesson: "the layer's backward is the exact vector-Jacobian product: dW = x^T @ dy and db = sum of dy over rows, with no 1/N. A mean over the batch belongs to the loss (it is already inside dy); dividing again scales the update by 1/N",
    impl: {
      linearBackward: (x: Tensor, W: Tensor, dy: Tensor) => {
        const N = x.data.length / W.shape[0]!;
        const g = linearBackward(x, W, dy);
        return { dx: g.dx, dW: scale(g.dW, 1 / N), db: scale(g.db, 1 / N) };
      },
    },
  },
];
