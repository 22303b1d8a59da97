// 013 dropout: inverted dropout (as torch.nn.Dropout) and its backward pass.
// Every tensor here has the same shape [...]: x, u, y, mask, dy, dx. p = drop probability, 0 <= p < 1.
// u holds one uniform draw in [0, 1) per element (randomness is an argument); keep element i where u[i] >= p.
// mask is a Float32Array of 0/1 values. Return new tensors; never modify inputs.
// Tolerance: y, mask and dx: atol 1e-6, rtol 1e-6 (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit dropout

// dropout: x is [...], u is [...]; y is [...], mask is [...]
// training: y = x * mask / (1 - p); eval (training = false): y = x and mask is all ones.
export function dropout(x: Tensor, p: number, u: Tensor, training: boolean): { y: Tensor; mask: Tensor } {
  // TODO: mask from u >= p, then scale the kept values so that E[y] = x
  throw new Error("not implemented");
}

// dropoutBackward: dy is [...], mask is [...] (the mask dropout returned); returns dx, [...]
export function dropoutBackward(dy: Tensor, mask: Tensor, p: number): Tensor {
  // TODO: the derivative of y = x * mask / (1 - p)
  throw new Error("not implemented");
}
