// 024 alibi: attention with linear biases (Press et al., 2022; BLOOM, MPT).
// B = batch, H = heads, Tq = query positions, Tk = key positions (Tq <= Tk), Dh = head width, Dv = value width.
// Query i sits at absolute position i' = Tk - Tq + i (bottom-right alignment, as with a KV cache).
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Tolerance: alibiSlopes atol 1e-7, rtol 1e-6; alibiBias atol 1e-6, rtol 1e-5 (-Infinity exactly);
//   alibiAttention atol 1e-5, rtol 1e-5 (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit alibi

// alibiSlopes: out is [H]; the paper's slopes, also when H is not a power of two.
export function alibiSlopes(H: number): Tensor {
  // TODO: geometric slopes for a power of two; the paper's rule for the other head counts
  throw new Error("not implemented");
}

// alibiBias: out is [H, Tq, Tk]; -m_h * (i' - j) for keys j <= i', -Infinity for future keys.
export function alibiBias(H: number, Tq: number, Tk: number): Tensor {
  // TODO: distance from the query's absolute position, times the head's slope
  throw new Error("not implemented");
}

// alibiAttention: q is [B, H, Tq, Dh], k is [B, H, Tk, Dh], v is [B, H, Tk, Dv]; out is [B, H, Tq, Dv].
// softmax(q k^T / sqrt(Dh) + bias) v, the bias from alibiBias (its -Infinity entries are the causal mask).
export function alibiAttention(q: Tensor, k: Tensor, v: Tensor): Tensor {
  // TODO: scaled scores, plus the bias, softmax over keys, weighted sum of values
  throw new Error("not implemented");
}
