// 023 LM head with weight tying: reference solution.
// B = batch, T = sequence, D = model width, V = vocabulary, N = B*T positions.
// E [V,D] is both the token embedding (row v = vector of token v) and the output head: logits = h @ E^T.

// tiedLogits: h is [B,T,D], E is [V,D]; out is [B,T,V] with out[b,t,v] = h[b,t,:] · E[v,:]
export function tiedLogits(h: Tensor, E: Tensor): Tensor {
  const [V, D] = E.shape;
  const N = h.data.length / D;
  const out = new Float32Array(N * V);
  for (let n = 0; n < N; n++) {
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += h.data[n * D + d] * E.data[v * D + d];
      out[n * V + v] = s;
    }
  }
  return { data: out, shape: [...h.shape.slice(0, -1), V] };
}

// tiedEmbeddingGrad: ids is Int32 [B,T]; dEmbOut is [B,T,D] (gradient at the embedding output);
// h is [B,T,D] (the head's input); dLogits is [B,T,V]; out dE is [V,D], the sum of both paths:
//   embedding path: dE[ids[n], :] += dEmbOut[n, :]        (repeated ids accumulate)
//   head path:      dE += dLogits^T @ h, i.e. dE[v, :] += sum_n dLogits[n, v] * h[n, :]
export function tiedEmbeddingGrad(ids: IntTensor, dEmbOut: Tensor, h: Tensor, dLogits: Tensor, V: number): Tensor {
  const N = ids.data.length;
  const D = dEmbOut.data.length / N;
  const dE = new Float32Array(V * D);
  const acc = new Float64Array(V * D);
  for (let n = 0; n < N; n++) {
    const id = ids.data[n];
    if (id < 0 || id >= V) throw new Error(`tiedEmbeddingGrad: id ${id} at position ${n} is outside [0, ${V})`);
    for (let d = 0; d < D; d++) acc[id * D + d] += dEmbOut.data[n * D + d];
  }
  for (let n = 0; n < N; n++) {
    for (let v = 0; v < V; v++) {
      const g = dLogits.data[n * V + v];
      for (let d = 0; d < D; d++) acc[v * D + d] += g * h.data[n * D + d];
    }
  }
  for (let i = 0; i < V * D; i++) dE[i] = acc[i];
  return { data: dE, shape: [V, D] };
}

// parameterCount: embedding [V,D] plus a bias-free head [D,V]; tying shares them: V·D tied, 2·V·D untied
export function parameterCount(V: number, D: number, tied: boolean): number {
  return tied ? V * D : 2 * V * D;
}
