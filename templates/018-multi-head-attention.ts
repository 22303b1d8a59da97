// 018 multi-head attention: project, split into heads, attend per head, merge, project out.
// B = batch, T = sequence, D = model width, H = heads, Dh = D / H = head width.
// Weights are [in, out]: q = x @ Wq (PyTorch's nn.Linear stores [out, in]). No biases.
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// You may import your own earlier drills, e.g. import { softmax } from "./008-softmax".
// Tolerance: atol 2e-5, rtol 1e-4 (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit multi-head-attention

// multiHeadAttention: x is [B,T,D]; Wq, Wk, Wv, Wo are [D,D]; out is [B,T,D].
// Scores are scaled by 1/sqrt(Dh); causal = true masks keys j > i (the future) with -Infinity before softmax.
export function multiHeadAttention(x: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, Wo: Tensor, H: number, causal: boolean): Tensor {
  // TODO: q, k, v projections; per (b, h, i): scores, softmax, weighted sum of v; merge heads; @ Wo
  throw new Error("not implemented");
}
