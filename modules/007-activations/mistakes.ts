// 007 activations: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { gelu, geluTanh, geluTanhBackward } from "./reference.ts";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

function map(x: Tensor, f: (v: number) => number): Tensor {
  return { data: x.data.map(f), shape: [...x.shape] };
}

function mapBackward(x: Tensor, dy: Tensor, dfdx: (v: number) => number): Tensor {
  return { data: x.data.map((v, i) => dy.data[i]! * dfdx(v)), shape: [...x.shape] };
}

// Abramowitz & Stegun 7.1.26, as in the reference
function erf(z: number): number {
  const a = Math.abs(z);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return z < 0 ? -y : y;
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));
const expTanh = (v: number) => (Math.exp(v) - Math.exp(-v)) / (Math.exp(v) + Math.exp(-v));

export const mistakes: Mistake[] = [
  {
    id: "sigmoid-exp-over-one-plus-exp",
    title: "sigmoid written as exp(x) / (1 + exp(x))",
    lesson: "exp(x) is Infinity for x > 709.78 and Infinity / Infinity is NaN (sigmoid(800) must be 1): write 1 / (1 + exp(-x)), which gives 1/(1+Infinity) = 0 at the other end, or branch on the sign of x",
    impl: { sigmoid: (x: Tensor) => map(x, (v) => Math.exp(v) / (1 + Math.exp(v))) },
  },
  {
    id: "sigmoid-backward-exp-neg-x",
    title: "sigmoid derivative written as exp(-x) / (1 + exp(-x))^2",
    lesson: "exp(-x) is Infinity for x < -709.78 and Infinity / Infinity is NaN (the derivative at -800 is 0): compute s = 1 / (1 + exp(-x)) once and use s * (1 - s)",
    impl: { sigmoidBackward: (x: Tensor, dy: Tensor) => mapBackward(x, dy, (v) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2) },
  },
  {
    id: "sigmoid-backward-of-input",
    title: "sigmoid derivative applied to x instead of sigmoid(x): x * (1 - x)",
    lesson: "s * (1 - s) needs s = sigmoid(x), not x (at x = 2 it gives -2 instead of 0.105): the backward receives the input x, so compute s first",
    impl: { sigmoidBackward: (x: Tensor, dy: Tensor) => mapBackward(x, dy, (v) => v * (1 - v)) },
  },
  {
    id: "tanh-from-exp",
    title: "tanh written as (exp(x) - exp(-x)) / (exp(x) + exp(-x))",
    lesson: "for |x| > 709.78 both exponentials overflow and Infinity / Infinity is NaN (tanh(800) must be 1): use Math.tanh, or 1 - 2 / (exp(2x) + 1) which saturates cleanly",
    impl: { tanh: (x: Tensor) => map(x, expTanh) },
  },
  {
    id: "tanh-backward-of-input",
    title: "tanh derivative written as 1 - x^2 instead of 1 - tanh(x)^2",
    lesson: "the derivative is 1 - t^2 with t = tanh(x), not with x (at x = 2: -3 instead of 0.0707)",
    impl: { tanhBackward: (x: Tensor, dy: Tensor) => mapBackward(x, dy, (v) => 1 - v * v) },
  },
  {
    id: "gelu-is-tanh-form",
    title: "the tanh approximation returned where exact (erf) GELU is asked",
    lesson: "exact GELU is x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)); the tanh form differs by up to 4.7e-4 (at |x| ~ 2.7), far above the GELU tolerance (atol 5e-6, rtol 1e-5). JavaScript has no Math.erf: write one (Abramowitz & Stegun 7.1.26 is good to 1.5e-7)",
    impl: { gelu: (x: Tensor) => geluTanh(x) },
  },
  {
    id: "gelu-tanh-is-exact",
    title: "exact (erf) GELU returned where the tanh approximation is asked",
    lesson: "GPT-2's GELU is the tanh form 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))); it differs from erf GELU by up to 4.7e-4 near |x| ~ 2.7: a model trained with one form should run with that form",
    impl: { geluTanh: (x: Tensor) => gelu(x) },
  },
  {
    id: "gelu-tanh-exp-overflow",
    title: "tanh inside GELU built from exp",
    lesson: "the inner argument sqrt(2/pi)(x + 0.044715 x^3) passes 710 already at |x| ~ 27, and exp-based tanh gives Infinity / Infinity = NaN: use Math.tanh",
    impl: { geluTanh: (x: Tensor) => map(x, (v) => 0.5 * v * (1 + expTanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)))) },
  },
  {
    id: "gelu-backward-missing-x-pdf",
    title: "GELU derivative taken as Phi(x) only, missing the x * phi(x) term",
    lesson: "gelu = x * Phi(x) is a product: its derivative is Phi(x) + x * phi(x), with phi(x) = exp(-x^2/2) / sqrt(2 pi) (at x = 1 the missing term is 0.242)",
    impl: {
      geluBackward: (x: Tensor, dy: Tensor) => mapBackward(x, dy, (v) => 0.5 * (1 + erf(v / Math.SQRT2))),
    },
  },
  {
    id: "gelu-backward-is-tanh-form",
    title: "the tanh form's derivative returned where exact GELU's derivative is asked",
    lesson: "geluBackward is the derivative of exact GELU, Phi(x) + x * phi(x); the tanh form's derivative differs by up to 8.7e-4 (near |x| ~ 2), far above the tolerance: derive from erf, as the forward",
    impl: { geluBackward: (x: Tensor, dy: Tensor) => geluTanhBackward(x, dy) },
  },
  {
    id: "gelu-tanh-backward-missing-chain",
    title: "tanh-GELU derivative missing the derivative of the inner polynomial",
    lesson: "with u = sqrt(2/pi)(x + 0.044715 x^3) the chain rule brings du/dx = sqrt(2/pi)(1 + 3 * 0.044715 x^2); dropping its 3 * 0.044715 x^2 part is off by up to 0.046 (near |x| ~ 1.6)",
    impl: {
      geluTanhBackward: (x: Tensor, dy: Tensor) =>
        mapBackward(x, dy, (v) => {
          const t = Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v));
          return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI;
        }),
    },
  },
  {
    id: "relu-backward-one-at-zero",
    title: "ReLU derivative taken as 1 at x = 0",
    lesson: "relu'(0) = 0 here, as in PyTorch (x > 0, not x >= 0): at exactly 0 the upstream gradient is dropped",
    impl: { reluBackward: (x: Tensor, dy: Tensor) => mapBackward(x, dy, (v) => (v >= 0 ? 1 : 0)) },
  },
  {
    id: "silu-exp-over-one-plus-exp",
    title: "SiLU written as x * exp(x) / (1 + exp(x))",
    lesson: "exp(x) is Infinity for x > 709.78 and Infinity / Infinity is NaN (silu(800) must be 800): use x / (1 + exp(-x))",
    impl: { silu: (x: Tensor) => map(x, (v) => (v * Math.exp(v)) / (1 + Math.exp(v))) },
  },
  {
    id: "silu-backward-exp-neg-x",
    title: "SiLU derivative written as (1 + exp(-x) + x exp(-x)) / (1 + exp(-x))^2",
    lesson: "exp(-x) is Infinity for x < -709.78 and Infinity / Infinity is NaN (the derivative at -800 is 0): with s = 1 / (1 + exp(-x)), write s * (1 + x * (1 - s))",
    impl: { siluBackward: (x: Tensor, dy: Tensor) => mapBackward(x, dy, (v) => (1 + Math.exp(-v) + v * Math.exp(-v)) / (1 + Math.exp(-v)) ** 2) },
  },
  {
    id: "silu-backward-sigmoid-only",
    title: "SiLU derivative taken as sigmoid(x) only",
    lesson: "silu = x * s(x) is a product: its derivative is s + x * s * (1 - s), not s (at x = 2 it gives 0.881 instead of 1.091)",
    impl: { siluBackward: (x: Tensor, dy: Tensor) => mapBackward(x, dy, sig) },
  },
];
