// 019 grouped-query attention (GQA; Hkv = 1 is multi-query attention, MQA).
// B = batch, T = sequence, D = model width, H = query heads, Hkv = key/value heads (H % Hkv == 0),
// Dh = head width = Wq.shape[1] / H (need not equal D / H), G = H / Hkv query heads per kv head.
// Query head h reads kv head floor(h / G).
// Weights are [in, out]: q = x @ Wq (PyTorch's nn.Linear stores [out, in]). No biases.
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// You may import your own earlier drills, e.g. import { softmax } from "./008-softmax".
// Tolerance: atol 2e-5, rtol 1e-4 (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit grouped-query-attention

// groupedQueryAttention: x is [B,T,D]; Wq is [D,H*Dh]; Wk, Wv are [D,Hkv*Dh]; Wo is [H*Dh,D]; out is [B,T,D].
// Scores are scaled by 1/sqrt(Dh); causal = true masks keys j > i with -Infinity before softmax.
export function groupedQueryAttention(
  x: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, Wo: Tensor, H: number, Hkv: number, causal: boolean,
): Tensor {
  // TODO: projections; per (b, h, i): kv head g = floor(h / (H/Hkv)), scores, softmax, weighted v; merge; @ Wo
  throw new Error("not implemented");
}
