// 027 tiny-gpt-forward: the forward pass of a tiny Llama-style language model.
// B = batch, T = sequence, V = vocabulary, D = model width, L = blocks, H = query heads, Hkv = key/value heads,
// Dh = D / H, F = FFN hidden width. Linear weights are [in, out] (PyTorch's nn.Linear stores [out, in]).
// Tensor = { data: Float32Array; shape }, IntTensor = { data: Int32Array; shape }, row-major.
//   x = tokEmb[ids]; x = decoderBlock(x, blocks[l], cfg) for l = 0..L-1 (026);
//   h = rmsNorm(x) * finalNorm; logits = h @ tokEmb^T (tied head: logits[b,t,v] = h[b,t,:] . tokEmb[v,:])
// You may paste your 026 solution here or import it: import { decoderBlock } from "./026-decoder-block";
// Return new tensors; never modify inputs.
// Tolerance: atol 1e-4, rtol 1e-4 (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit tiny-gpt-forward

type BlockParams = { attnNorm: Tensor; wq: Tensor; wk: Tensor; wv: Tensor; wo: Tensor; ffnNorm: Tensor; wGate: Tensor; wUp: Tensor; wDown: Tensor };

// gptForward: ids is [B,T] (Int32, 0..V-1); tokEmb [V,D]; blocks: L block weight objects (026); finalNorm [D];
// cfg = {H, Hkv, eps = 1e-6, ropeBase = 10000}; logits is [B,T,V]
export function gptForward(
  ids: IntTensor,
  weights: { tokEmb: Tensor; blocks: BlockParams[]; finalNorm: Tensor },
  cfg: { H: number; Hkv: number; eps?: number; ropeBase?: number },
): Tensor {
  // TODO: embedding lookup, the L blocks in order, final RMSNorm, tied LM head
  throw new Error("not implemented");
}
