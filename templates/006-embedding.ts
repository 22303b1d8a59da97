// 006 embedding: the token-embedding lookup and its backward pass.
// B = batch, T = sequence, V = vocabulary (rows of the table), D = embedding width.
// Tensor = { data: Float32Array; shape: number[] }, IntTensor = { data: Int32Array; shape: number[] },
// row-major: row v of E [V,D] is E.data[v*D .. v*D + D - 1]. Return new tensors; never modify inputs.
// An id outside [0, V) is invalid: throw an Error with a message.
// Tolerance: embeddingForward exact (rows are copied); embeddingBackward atol 1e-6 + 2.5e-7*N (N = B*T),
//   rtol 1e-5 (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit embedding

// embeddingForward: ids is Int32 [B,T], E is [V,D]; out is [B,T,D] with out[b,t,:] = E[ids[b,t],:].
export function embeddingForward(ids: IntTensor, E: Tensor): Tensor {
  // TODO: copy row ids[p] of E for every position p
  throw new Error("not implemented");
}

// embeddingBackward: ids is Int32 [B,T], dOut = dL/dout is [B,T,D]; dE = dL/dE is [V,D].
export function embeddingBackward(ids: IntTensor, dOut: Tensor, V: number): Tensor {
  // TODO: scatter each position's gradient row into the row of its id
  throw new Error("not implemented");
}
