// 022 SwiGLU feed-forward network (Llama): reference solution.
// D = model width, F = hidden width, N = number of rows = x.data.length / D.
// Weights are [in, out] (y = x @ W); PyTorch's nn.Linear stores [out, in]. No biases (as in Llama).

// silu(u) = u * sigmoid(u) = u / (1 + exp(-u)); exp(-u) = Infinity for u < -709 gives u / Infinity = -0, no NaN
function silu(u: number): number {
  return u / (1 + Math.exp(-u));
}

// swiglu: x is [..., D]; Wgate, Wup are [D,F]; Wdown is [F,D]; out is [..., D]
// out = (silu(x @ Wgate) * (x @ Wup)) @ Wdown, row by row
export function swiglu(x: Tensor, Wgate: Tensor, Wup: Tensor, Wdown: Tensor): Tensor {
  const [D, F] = Wgate.shape;
  const N = x.data.length / D;
  const hidden = new Float32Array(F);
  const out = new Float32Array(N * D);
  for (let r = 0; r < N; r++) {
    for (let f = 0; f < F; f++) {
      let g = 0;
      let u = 0;
      for (let i = 0; i < D; i++) {
        g += x.data[r * D + i] * Wgate.data[i * F + f];
        u += x.data[r * D + i] * Wup.data[i * F + f];
      }
      hidden[f] = silu(g) * u;
    }
    for (let o = 0; o < D; o++) {
      let s = 0;
      for (let f = 0; f < F; f++) s += hidden[f] * Wdown.data[f * D + o];
      out[r * D + o] = s;
    }
  }
  return { data: out, shape: [...x.shape] };
}

// swigluHiddenDim: the Llama rule. h = floor(2 * 4D / 3) keeps the parameter count of a 4D two-matrix MLP
// with three matrices; then h is rounded UP to a multiple of multipleOf (hardware-friendly sizes).
export function swigluHiddenDim(D: number, multipleOf: number): number {
  const h = Math.floor((2 * 4 * D) / 3);
  return multipleOf * Math.ceil(h / multipleOf);
}
