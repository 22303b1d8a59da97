// 006 embedding: reference solution.
// B = batch, T = sequence, V = vocabulary (rows of the table), D = embedding width.
// ids may have any shape; B,T is the usual one. Every id must lie in [0, V).

// embeddingForward: ids is Int32 [B,T], E is [V,D]; out is [B,T,D], out[b,t,:] = E[ids[b,t],:]
export function embeddingForward(ids: IntTensor, E: Tensor): Tensor {
  const [V, D] = E.shape;
  const n = ids.data.length;
  const out = new Float32Array(n * D);
  for (let p = 0; p < n; p++) {
    const id = ids.data[p];
    if (id < 0 || id >= V) throw new Error(`embeddingForward: id ${id} at position ${p} is outside [0, ${V})`);
    for (let d = 0; d < D; d++) out[p * D + d] = E.data[id * D + d];
  }
  return { data: out, shape: [...ids.shape, D] };
}

// embeddingBackward: ids is Int32 [B,T], dOut is [B,T,D]; dE is [V,D],
// dE[v,:] = sum of dOut[b,t,:] over every position with ids[b,t] = v (0 for ids never seen)
export function embeddingBackward(ids: IntTensor, dOut: Tensor, V: number): Tensor {
  const D = dOut.shape[dOut.shape.length - 1];
  const n = ids.data.length;
  const dE = new Float32Array(V * D);
  for (let p = 0; p < n; p++) {
    const id = ids.data[p];
    if (id < 0 || id >= V) throw new Error(`embeddingBackward: id ${id} at position ${p} is outside [0, ${V})`);
    for (let d = 0; d < D; d++) dE[id * D + d] += dOut.data[p * D + d];
  }
  return { data: dE, shape: [V, D] };
}
