// 002 matrix-multiplication: known mistakes, each a wrong variant of the reference.
import type { Mistake, Tensor } from "../../src/core/types.ts";

export const mistakes: Mistake[] = [
  {
    id: "b-transposed",
    title: "b read as if it were transposed (b[j,k] instead of b[k,j])",
    lesson: "b is [K,N] row-major, so b[k,j] sits at b.data[k*N + j]; reading b.data[j*K + k] computes a @ b' for a b' that is b's memory viewed as [N,K] (PyTorch's [out,in] habit). Index b by (k, j) with stride N",
    impl: {
      matmul: (a: Tensor, b: Tensor) => {
        const [M, K] = a.shape as [number, number];
        const N = b.shape[1]!;
        const out = new Float32Array(M * N);
        for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a.data[i * K + k]! * b.data[j * K + k]!;
          out[i * N + j] = s;
        }
        return { data: out, shape: [M, N] };
      },
    },
  },
  {
    id: "accumulator-not-reset",
    title: "the running sum is declared once, outside the (i, j) loops",
    lesson: "each output element is its own dot product: with `let s = 0` hoisted out of the loops, out[i,j] also carries every earlier dot product (out[0,1] = a0.b0 + a0.b1). Start s at 0 for every (i, j)",
    impl: {
      matmul: (a: Tensor, b: Tensor) => {
        const [M, K] = a.shape as [number, number];
        const N = b.shape[1]!;
        const out = new Float32Array(M * N);
        let s = 0;
        for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
          for (let k = 0; k < K; k++) s += a.data[i * K + k]! * b.data[k * N + j]!;
          out[i * N + j] = s;
        }
        return { data: out, shape: [M, N] };
      },
    },
  },
  {
    id: "batch-offset-of-b-forgotten",
    title: "batchedMatmul multiplies every a[z] by b[0] (b's batch offset forgotten)",
    lesson: "batch entry z of b starts at z*K*N, just as a[z] starts at z*M*K; without that offset every batch reuses b[0]. Offset a, b and out by their own batch strides",
    impl: {
      batchedMatmul: (a: Tensor, b: Tensor) => {
        const [B, M, K] = a.shape as [number, number, number];
        const N = b.shape[2]!;
        const out = new Float32Array(B * M * N);
        for (let z = 0; z < B; z++) for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a.data[z * M * K + i * K + k]! * b.data[k * N + j]!;
          out[z * M * N + i * N + j] = s;
        }
        return { data: out, shape: [B, M, N] };
      },
    },
  },
];
