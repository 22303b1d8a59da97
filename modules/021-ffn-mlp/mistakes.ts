// 021 feed-forward network: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";

const C = Math.sqrt(2 / Math.PI);

/** erf to about 1e-15 (Taylor series near 0, continued fraction for erfc beyond). */
function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = a, sum = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...))))
  let f = a;
  for (let n = 60; n >= 1; n--) f = a + (n / 2) / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

type Act = (x: number) => number;

function mlpWith(act: Act, biasAfter = false) {
  return (x: Tensor, W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor): Tensor => {
    const [D, F] = W1.shape as [number, number];
    const N = x.data.length / D;
    const out = new Float32Array(N * D);
    const h = new Float32Array(F);
    for (let r = 0; r < N; r++) {
      for (let f = 0; f < F; f++) {
        let s = 0;
        for (let i = 0; i < D; i++) s += x.data[r * D + i]! * W1.data[i * F + f]!;
        h[f] = biasAfter ? act(s) + b1.data[f]! : act(s + b1.data[f]!);
      }
      for (let o = 0; o < D; o++) {
        let s = b2.data[o]!;
        for (let f = 0; f < F; f++) s += h[f]! * W2.data[f * D + o]!;
        out[r * D + o] = s;
      }
    }
    return { data: out, shape: [...x.shape] };
  };
}

const geluExact: Act = (x) => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluSigmoid: Act = (x) => x / (1 + Math.exp(-1.702 * x));
const geluNoCubic: Act = (x) => 0.5 * x * (1 + Math.tanh(C * x));
const geluTanh: Act = (x) => 0.5 * x * (1 + Math.tanh(C * (x + 0.044715 * x * x * x)));
const tanhByExp = (u: number) => (Math.exp(2 * u) - 1) / (Math.exp(2 * u) + 1);
const geluTanhOverflow: Act = (x) => 0.5 * x * (1 + tanhByExp(C * (x + 0.044715 * x * x * x)));

export const mistakes: Mistake[] = [
  {
    id: "exact-gelu",
    title: "exact (erf) GELU where GPT-2's tanh form is asked",
    lesson: "GPT-2 uses 0.5·x·(1 + tanh(sqrt(2/pi)·(x + 0.044715·x^3))); it differs from the exact 0.5·x·(1 + erf(x/sqrt(2))) by up to 4.7e-4 (at |x| = 2.7), far above this tolerance. Match the form the checkpoint was trained with (PyTorch: nn.GELU(approximate='tanh'))",
    impl: { mlp: mlpWith(geluExact) },
  },
  {
    id: "sigmoid-gelu",
    title: "GELU approximated as x·sigmoid(1.702·x)",
    lesson: "that is 'quick GELU' (used by CLIP), off from the tanh form by up to 0.02 (at x = -2.2); GPT-2 uses the tanh form with the 0.044715·x^3 term",
    impl: { mlp: mlpWith(geluSigmoid) },
  },
  {
    id: "gelu-no-cubic",
    title: "tanh GELU without the 0.044715·x^3 term",
    lesson: "0.5·x·(1 + tanh(sqrt(2/pi)·x)) is off by up to 0.034 (near |x| = 2); the argument of tanh is sqrt(2/pi)·(x + 0.044715·x^3)",
    impl: { mlp: mlpWith(geluNoCubic) },
  },
  {
    id: "bias-after-gelu",
    title: "b1 added after the activation instead of before",
    lesson: "the first layer is a full linear layer, x @ W1 + b1, and GELU acts on its output: gelu(x @ W1 + b1), not gelu(x @ W1) + b1",
    impl: { mlp: mlpWith(geluTanh, true) },
  },
  {
    id: "tanh-overflow",
    title: "tanh written as (exp(2u) - 1) / (exp(2u) + 1)",
    lesson: "for a pre-activation of 30, u = sqrt(2/pi)·(30 + 0.044715·30^3) = 987 and exp(1974) is Infinity, so Infinity/Infinity = NaN: use Math.tanh (or 1 - 2/(exp(2u) + 1), which saturates to 1)",
    impl: { mlp: mlpWith(geluTanhOverflow) },
  },
];
