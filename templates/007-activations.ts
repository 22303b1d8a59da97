// 007 activations: ReLU, sigmoid, tanh, GELU (exact and tanh form), SiLU, and each one's backward pass.
// Elementwise: x and dy are tensors of any shape [...]; every output has the shape of x.
// Each backward takes the forward's input x and dy = dL/dy, and returns dx = dL/dx.
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Inputs go up to |x| = 800: Math.exp(710) is Infinity in JavaScript, and Infinity / Infinity is NaN.
// JavaScript has no Math.erf: write one good to 1.5e-7 (Abramowitz & Stegun 7.1.26 is enough).
// Tolerance: relu, sigmoid, tanh, silu and their backward atol 1e-6, rtol 1e-5;
//   gelu, geluTanh and their backward atol 5e-6, rtol 1e-5 (the two GELU forms differ by up to 4.7e-4)
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit activations

// relu: x is [...], out is [...]; max(0, x)
export function relu(x: Tensor): Tensor {
  // TODO: max(0, x) elementwise
  throw new Error("not implemented");
}

// sigmoid: x is [...], out is [...]; 1 / (1 + exp(-x)), finite for every x
export function sigmoid(x: Tensor): Tensor {
  // TODO: a form that never computes Infinity / Infinity
  throw new Error("not implemented");
}

// tanh: x is [...], out is [...]
export function tanh(x: Tensor): Tensor {
  // TODO: tanh elementwise, finite for every x
  throw new Error("not implemented");
}

// gelu: x is [...], out is [...]; exact GELU = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))
export function gelu(x: Tensor): Tensor {
  // TODO: write an erf, then the exact form (not the tanh approximation)
  throw new Error("not implemented");
}

// geluTanh: x is [...], out is [...]; 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (GPT-2)
export function geluTanh(x: Tensor): Tensor {
  // TODO: the tanh approximation of GELU
  throw new Error("not implemented");
}

// silu: x is [...], out is [...]; x * sigmoid(x) (also called swish)
export function silu(x: Tensor): Tensor {
  // TODO: x * sigmoid(x), finite for every x
  throw new Error("not implemented");
}

// reluBackward: x, dy are [...], dx is [...]; relu'(x) = 1 for x > 0, else 0 (relu'(0) = 0)
export function reluBackward(x: Tensor, dy: Tensor): Tensor {
  // TODO: dx = dy * relu'(x)
  throw new Error("not implemented");
}

// sigmoidBackward: x, dy are [...], dx is [...]
export function sigmoidBackward(x: Tensor, dy: Tensor): Tensor {
  // TODO: dx = dy * sigmoid'(x), finite for every x
  throw new Error("not implemented");
}

// tanhBackward: x, dy are [...], dx is [...]
export function tanhBackward(x: Tensor, dy: Tensor): Tensor {
  // TODO: dx = dy * tanh'(x)
  throw new Error("not implemented");
}

// geluBackward: x, dy are [...], dx is [...]; derivative of the exact (erf) GELU
export function geluBackward(x: Tensor, dy: Tensor): Tensor {
  // TODO: dx = dy * gelu'(x); gelu is a product x * Phi(x)
  throw new Error("not implemented");
}

// geluTanhBackward: x, dy are [...], dx is [...]; derivative of the tanh form
export function geluTanhBackward(x: Tensor, dy: Tensor): Tensor {
  // TODO: dx = dy * d/dx of the tanh form (chain rule through the inner polynomial)
  throw new Error("not implemented");
}

// siluBackward: x, dy are [...], dx is [...]
export function siluBackward(x: Tensor, dy: Tensor): Tensor {
  // TODO: dx = dy * silu'(x), finite for every x
  throw new Error("not implemented");
}
