// 007 activations: reference solution.
// Elementwise: x and dy are tensors of any shape [...]; every output has the shape of x.
// Each backward takes the forward's input x and the upstream gradient dy = dL/dy, returns dx = dL/dx.

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

// erf(z) by Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7); JavaScript has no Math.erf
function erf(z: number): number {
  const a = Math.abs(z);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  const y = 1 - poly * Math.exp(-a * a);
  return z < 0 ? -y : y;
}

// sigmoid of one number, stable for any x: exp(-x) overflows only for x < -710, and 1/(1+Infinity) = 0
function sig(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

function map(x: Tensor, f: (v: number) => number): Tensor {
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < x.data.length; i++) out[i] = f(x.data[i]);
  return { data: out, shape: [...x.shape] };
}

function mapBackward(x: Tensor, dy: Tensor, dfdx: (v: number) => number): Tensor {
  const dx = new Float32Array(x.data.length);
  for (let i = 0; i < x.data.length; i++) dx[i] = dy.data[i] * dfdx(x.data[i]);
  return { data: dx, shape: [...x.shape] };
}

// relu: x is [...], out is [...]; max(0, x)
export function relu(x: Tensor): Tensor {
  return map(x, (v) => (v > 0 ? v : 0));
}

// sigmoid: x is [...], out is [...]; 1 / (1 + exp(-x))
export function sigmoid(x: Tensor): Tensor {
  return map(x, sig);
}

// tanh: x is [...], out is [...]
export function tanh(x: Tensor): Tensor {
  return map(x, Math.tanh);
}

// gelu (exact): x is [...], out is [...]; x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))
export function gelu(x: Tensor): Tensor {
  return map(x, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
}

// geluTanh: x is [...], out is [...]; 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
export function geluTanh(x: Tensor): Tensor {
  return map(x, (v) => 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))));
}

// silu (swish): x is [...], out is [...]; x * sigmoid(x)
export function silu(x: Tensor): Tensor {
  return map(x, (v) => v * sig(v));
}

// reluBackward: x, dy are [...], dx is [...]; relu'(x) = 1 for x > 0, 0 for x <= 0 (0 at x = 0)
export function reluBackward(x: Tensor, dy: Tensor): Tensor {
  return mapBackward(x, dy, (v) => (v > 0 ? 1 : 0));
}

// sigmoidBackward: x, dy are [...], dx is [...]; sigmoid' = s (1 - s)
export function sigmoidBackward(x: Tensor, dy: Tensor): Tensor {
  return mapBackward(x, dy, (v) => {
    const s = sig(v);
    return s * (1 - s);
  });
}

// tanhBackward: x, dy are [...], dx is [...]; tanh' = 1 - tanh^2
export function tanhBackward(x: Tensor, dy: Tensor): Tensor {
  return mapBackward(x, dy, (v) => {
    const t = Math.tanh(v);
    return 1 - t * t;
  });
}

// geluBackward: x, dy are [...], dx is [...]; gelu' = Phi(x) + x phi(x), phi(x) = exp(-x^2/2) / sqrt(2 pi)
export function geluBackward(x: Tensor, dy: Tensor): Tensor {
  return mapBackward(x, dy, (v) => 0.5 * (1 + erf(v / Math.SQRT2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
}

// geluTanhBackward: x, dy are [...], dx is [...]; with u = sqrt(2/pi)(x + 0.044715 x^3), t = tanh(u):
// d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)
export function geluTanhBackward(x: Tensor, dy: Tensor): Tensor {
  return mapBackward(x, dy, (v) => {
    const t = Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v));
    return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
  });
}

// siluBackward: x, dy are [...], dx is [...]; silu' = s + x s (1 - s) with s = sigmoid(x)
export function siluBackward(x: Tensor, dy: Tensor): Tensor {
  return mapBackward(x, dy, (v) => {
    const s = sig(v);
    return s * (1 + v * (1 - s));
  });
}
