// 026 decoder-block: one pre-norm Llama decoder block.
// B = batch, T = sequence, D = model width, H = query heads, Hkv = key/value heads, Dh = D / H head width,
// F = FFN hidden width. Linear weights are [in, out]: y = x @ W (PyTorch's nn.Linear stores [out, in]).
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
//   h   = x + attention(rmsNorm(x) * attnNorm)     GQA, half-split RoPE on q and k (positions 0..T-1), causal
//   out = h + (silu(hn @ wGate) * (hn @ wUp)) @ wDown   with hn = rmsNorm(h) * ffnNorm
// rmsNorm eps = cfg.eps ?? 1e-6; RoPE base = cfg.ropeBase ?? 10000; query head h uses kv head floor(h / (H / Hkv)).
// Tolerance: atol 5e-5, rtol 1e-4 (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit decoder-block

// decoderBlock: x is [B,T,D]; wq [D,H*Dh], wk [D,Hkv*Dh], wv [D,Hkv*Dh], wo [H*Dh,D],
// wGate [D,F], wUp [D,F], wDown [F,D], attnNorm [D], ffnNorm [D]; out is [B,T,D]
export function decoderBlock(
  x: Tensor,
  p: { attnNorm: Tensor; wq: Tensor; wk: Tensor; wv: Tensor; wo: Tensor; ffnNorm: Tensor; wGate: Tensor; wUp: Tensor; wDown: Tensor },
  cfg: { H: number; Hkv: number; eps?: number; ropeBase?: number },
): Tensor {
  // TODO: rmsNorm -> q, k, v -> RoPE(q, k) -> causal GQA attention -> wo -> residual; rmsNorm -> SwiGLU -> residual
  throw new Error("not implemented");
}
