// 021 feed-forward network (GPT-2 MLP): reference solution.
// D = model width, F = hidden width (4D in GPT-2), N = number of rows = x.data.length / D.
// Weights are [in, out] (y = x @ W + b); PyTorch's nn.Linear stores [out, in].

// geluTanh: GELU in GPT-2's tanh form; Math.tanh saturates cleanly for large arguments
function geluTanh(x: number): number {
  const c = Math.sqrt(2 / Math.PI);
  return 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x)));
}

// mlp: x is [..., D]; W1 [D,F], b1 [F], W2 [F,D], b2 [D]; out is [..., D]
// out = geluTanh(x @ W1 + b1) @ W2 + b2, row by row
export function mlp(x: Tensor, W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor): Tensor {
  const [D, F] = W1.shape;
  const N = x.data.length / D;
  const hidden = new Float32Array(F);
  const out = new Float32Array(N * D);
  for (let r = 0; r < N; r++) {
    for (let f = 0; f < F; f++) {
      let s = b1.data[f];
      for (let i = 0; i < D; i++) s += x.data[r * D + i] * W1.data[i * F + f];
      hidden[f] = geluTanh(s);
    }
    for (let o = 0; o < D; o++) {
      let s = b2.data[o];
      for (let f = 0; f < F; f++) s += hidden[f] * W2.data[f * D + o];
      out[r * D + o] = s;
    }
  }
  return { data: out, shape: [...x.shape] };
}
