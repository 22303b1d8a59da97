// 017 scaled-dot-product-attention: softmax(q k^T / sqrt(Dh) + mask) v.
// B = batch, H = heads, Tq = queries, Tk = keys, Dh = query/key width, Dv = value width.
// Tensor = { data: Float32Array; shape: number[] }, row-major: q[b,h,i,d] is q.data[((b*H + h)*Tq + i)*Dh + d].
// Causal masks align bottom-right: query i sits at absolute position Tk - Tq + i and sees keys
// j <= Tk - Tq + i (with Tq = Tk that is j <= i). Causal cases never have Tq > Tk.
// Tolerance: atol 1e-5 + 2.5e-7 x (Tk + Dh), rtol 1e-4   (|got - want| <= atol + rtol * |want|)
// Submit with: llmdrill submit attention

// scaledDotProductAttention: q is [B,H,Tq,Dh], k is [B,H,Tk,Dh], v is [B,H,Tk,Dv]; out is [B,H,Tq,Dv]
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, causal: boolean): Tensor {
  // TODO: per (batch, head) and query: scores over the visible keys, stable softmax, weighted sum of v
  throw new Error("not implemented");
}
