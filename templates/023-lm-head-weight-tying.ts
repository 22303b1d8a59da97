// 023 LM head with weight tying: the embedding matrix E [V,D] doubles as the output projection.
// B = batch, T = sequence, D = model width, V = vocabulary, N = B*T positions.
// logits = h @ E^T. E is [V,D] (one row per token), the layout of nn.Embedding.weight; an untied head
// would be a bias-free linear layer [D,V] ([in,out]; PyTorch's nn.Linear stores [out,in] = [V,D], which is why
// tying in PyTorch is lm_head.weight = wte.weight).
// Tensor = { data: Float32Array; shape: number[] }, IntTensor = { data: Int32Array; shape: number[] }.
// Return new tensors; never modify inputs.
// Tolerance: tiedLogits and tiedEmbeddingGrad atol 1e-5, rtol 1e-5 (|got - want| <= atol + rtol * |want|);
// parameterCount exact.
// Submit with: llmdrill submit lm-head-weight-tying

// tiedLogits: h is [B,T,D], E is [V,D]; out is [B,T,V].
export function tiedLogits(h: Tensor, E: Tensor): Tensor {
  // TODO: out[n,v] = dot(h[n,:], E[v,:])
  throw new Error("not implemented");
}

// tiedEmbeddingGrad: ids is Int32 [B,T]; dEmbOut = dL/d(embedding output) is [B,T,D];
// h = the head's input is [B,T,D]; dLogits = dL/dlogits is [B,T,V]; returns dE = dL/dE, [V,D], both uses of E.
export function tiedEmbeddingGrad(ids: IntTensor, dEmbOut: Tensor, h: Tensor, dLogits: Tensor, V: number): Tensor {
  // TODO: the embedding path (scatter-add by id) plus the head path (dLogits^T @ h)
  throw new Error("not implemented");
}

// parameterCount: parameters of the embedding [V,D] plus a bias-free LM head [D,V], with or without tying.
export function parameterCount(V: number, D: number, tied: boolean): number {
  // TODO
  throw new Error("not implemented");
}
