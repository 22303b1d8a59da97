// 001 tensor-shape: known mistakes, each a wrong variant of the reference.
import type { Mistake, Tensor } from "../../src/core/types.ts";

function checkHeads(D: number, H: number): void {
  if (!Number.isInteger(H) || H <= 0 || D % H !== 0) throw new Error(`splitHeads: D = ${D} is not divisible by H = ${H}`);
}

export const mistakes: Mistake[] = [
  {
    id: "split-reshape-without-transpose",
    title: "splitHeads as a reshape only: [B,T,D] memory relabelled [B,H,T,Dh] without the transpose",
    lesson: "a reshape to [B,H,T,Dh] cuts the flat [T,D] memory into H blocks of T*Dh, so head 0 gets all of token 0 and half of token 1 (heads scrambled across tokens). Reshape to [B,T,H,Dh] first, then swap the T and H axes: out[b,h,t,j] = x[b,t,h*Dh + j]",
    impl: {
      splitHeads: (x: Tensor, H: number) => {
        const [B, T, D] = x.shape as [number, number, number];
        checkHeads(D, H);
        return { data: new Float32Array(x.data), shape: [B, H, T, D / H] };
      },
    },
  },
  {
    id: "merge-reshape-without-transpose",
    title: "mergeHeads as a reshape only: [B,H,T,Dh] memory relabelled [B,T,D] without the transpose",
    lesson: "the [B,H,T,Dh] memory holds head 0 for every token first, so a plain reshape puts head 0 of tokens 0 and 1 into token 0's row. Swap H and T back (out[b,t,h*Dh + j] = x[b,h,t,j]) before merging the last two axes",
    impl: {
      mergeHeads: (x: Tensor) => {
        const [B, H, T, Dh] = x.shape as [number, number, number, number];
        return { data: new Float32Array(x.data), shape: [B, T, H * Dh] };
      },
    },
  },
  {
    id: "heads-strided",
    title: "splitHeads takes every H-th feature for a head (reshape to [B,T,Dh,H]) instead of a contiguous slice",
    lesson: "head h owns the contiguous features h*Dh .. h*Dh + Dh - 1 of each token (reshape [B,T,D] -> [B,T,H,Dh]); x[b,t,j*H + h] interleaves the heads and no longer matches how Wq's output columns are grouped (nor PyTorch's view(B,T,H,Dh))",
    impl: {
      splitHeads: (x: Tensor, H: number) => {
        const [B, T, D] = x.shape as [number, number, number];
        checkHeads(D, H);
        const Dh = D / H;
        const out = new Float32Array(B * T * D);
        for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) for (let j = 0; j < Dh; j++) {
          out[((b * H + h) * T + t) * Dh + j] = x.data[(b * T + t) * D + j * H + h]!;
        }
        return { data: out, shape: [B, H, T, Dh] };
      },
    },
  },
  {
    id: "bias-first-row-only",
    title: "addBias adds b to the first row only (no broadcast over the leading axes)",
    lesson: "broadcasting b[D] over x[...,D] means every one of the numel/D rows gets b: out[i] = x[i] + b[i % D]. A loop over j < D alone touches row 0 and copies the rest unchanged",
    impl: {
      addBias: (x: Tensor, b: Tensor) => {
        const D = b.shape[0]!;
        const out = new Float32Array(x.data);
        for (let j = 0; j < D; j++) out[j] = x.data[j]! + b.data[j]!;
        return { data: out, shape: [...x.shape] };
      },
    },
  },
];
