// 021 feed-forward network (the GPT-2 MLP): out = geluTanh(x @ W1 + b1) @ W2 + b2.
// D = model width, F = hidden width (4D in GPT-2), N = x.data.length / D rows.
// Weights are [in, out] (PyTorch's nn.Linear stores [out, in]).
// GELU is GPT-2's tanh form: geluTanh(u) = 0.5·u·(1 + tanh(sqrt(2/pi)·(u + 0.044715·u^3))), NOT the exact erf form.
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Tolerance: atol 2e-5, rtol 1e-5 (|got - want| <= atol + rtol * |want|); exact GELU is off by up to 4.7e-4.
// Submit with: llmdrill submit ffn-mlp

// mlp: x is [..., D]; W1 is [D,F], b1 [F], W2 [F,D], b2 [D]; out is [..., D] (same shape as x).
export function mlp(x: Tensor, W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor): Tensor {
  // TODO: per row: hidden = geluTanh(row @ W1 + b1), out = hidden @ W2 + b2
  throw new Error("not implemented");
}
