// 022 SwiGLU feed-forward network (Llama): out = (silu(x @ Wgate) * (x @ Wup)) @ Wdown.
// D = model width, F = hidden width, N = x.data.length / D rows.
// Weights are [in, out] (PyTorch's nn.Linear stores [out, in]). No biases.
// silu(u) = u * sigmoid(u) (also called Swish); it gates x @ Wgate, the up branch x @ Wup stays linear.
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Tolerance: swiglu atol 2e-5, rtol 1e-5 (|got - want| <= atol + rtol * |want|); swigluHiddenDim exact.
// Submit with: llmdrill submit swiglu-ffn

// swiglu: x is [..., D]; Wgate, Wup are [D,F]; Wdown is [F,D]; out is [..., D] (same shape as x).
export function swiglu(x: Tensor, Wgate: Tensor, Wup: Tensor, Wdown: Tensor): Tensor {
  // TODO: per row: hidden[f] = silu(row @ Wgate[:,f]) * (row @ Wup[:,f]); out = hidden @ Wdown
  throw new Error("not implemented");
}

// swigluHiddenDim: Llama's hidden size. h = floor(2 * 4D / 3), then rounded UP to a multiple of multipleOf.
// Example: D = 4096, multipleOf = 256 -> 11008.
export function swigluHiddenDim(D: number, multipleOf: number): number {
  // TODO: the floor first, then round up
  throw new Error("not implemented");
}
