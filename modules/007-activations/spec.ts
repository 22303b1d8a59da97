// 007 activations: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, OracleModel, Tensor, TolMap } from "../../src/core/types.ts";
import type { Graph } from "../../src/onnx/graph.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };
// exact GELU and its tanh form differ by up to 4.7e-4: the GELU tolerance stays far below that
const TOL_GELU: TolMap = { "*": { atol: 5e-6, rtol: 1e-5 } };

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

// forward oracles: the standard ONNX ops. Gelu (opset 20): exact in float32 (ORT has no float64 Erf/Gelu
// kernel), tanh form in float64; Swish (opset 24, alpha 1) is SiLU.
const unary = (key: string, op: string, double: boolean, attrs: Record<string, string | number> = {}, opset?: number) =>
  model(key, (g) => {
    const x = double ? f64(g, g.input("x")) : g.input("x");
    const y = g.op1(op, [x], attrs);
    g.output(double ? f32(g, y) : y, "y");
  }, opset);

const forwardModels: Record<string, OracleModel> = {
  relu: unary("007/relu", "Relu", true),
  sigmoid: unary("007/sigmoid", "Sigmoid", true),
  tanh: unary("007/tanh", "Tanh", true),
  gelu: unary("007/gelu", "Gelu", false, { approximate: "none" }, 20),
  geluTanh: unary("007/gelu-tanh", "Gelu", true, { approximate: "tanh" }, 20),
  silu: unary("007/silu", "Swish", true, {}, 24),
};

// backward oracles: graphs of dy * f'(x) in float64 (the Erf of exact GELU in float32)
const backward = (key: string, deriv: (g: Graph, x: string) => string) =>
  model(key, (g) => {
    const x = f64(g, g.input("x"));
    const dy = f64(g, g.input("dy"));
    g.output(f32(g, g.op1("Mul", [dy, deriv(g, x)])), "dx");
  });
const d = (g: Graph, v: number) => g.scalar(v, "float64");

const backwardModels: Record<string, OracleModel> = {
  reluBackward: backward("007/relu-backward", (g, x) => g.op1("Cast", [g.op1("Greater", [x, d(g, 0)])], { to: 11 })),
  sigmoidBackward: backward("007/sigmoid-backward", (g, x) => {
    const s = g.op1("Sigmoid", [x]);
    return g.op1("Mul", [s, g.op1("Sub", [d(g, 1), s])]);
  }),
  tanhBackward: backward("007/tanh-backward", (g, x) => {
    const t = g.op1("Tanh", [x]);
    return g.op1("Sub", [d(g, 1), g.op1("Mul", [t, t])]);
  }),
  geluBackward: backward("007/gelu-backward", (g, x) => {
    // Phi(x) = 0.5 (1 + erf(x / sqrt 2)) with Erf in float32; x phi(x) = x exp(-x^2/2) / sqrt(2 pi) in float64
    const erf = f64(g, g.op1("Erf", [f32(g, g.op1("Div", [x, d(g, Math.SQRT2)]))]));
    const cdf = g.op1("Mul", [d(g, 0.5), g.op1("Add", [d(g, 1), erf])]);
    const pdf = g.op1("Mul", [d(g, 1 / Math.sqrt(2 * Math.PI)), g.op1("Exp", [g.op1("Mul", [d(g, -0.5), g.op1("Mul", [x, x])])])]);
    return g.op1("Add", [cdf, g.op1("Mul", [x, pdf])]);
  }),
  geluTanhBackward: backward("007/gelu-tanh-backward", (g, x) => {
    const x2 = g.op1("Mul", [x, x]);
    const u = g.op1("Mul", [d(g, SQRT_2_OVER_PI), g.op1("Add", [x, g.op1("Mul", [d(g, 0.044715), g.op1("Mul", [x2, x])])])]);
    const t = g.op1("Tanh", [u]);
    const du = g.op1("Mul", [d(g, SQRT_2_OVER_PI), g.op1("Add", [d(g, 1), g.op1("Mul", [d(g, 3 * 0.044715), x2])])]);
    const first = g.op1("Mul", [d(g, 0.5), g.op1("Add", [d(g, 1), t])]);
    const second = g.op1("Mul", [g.op1("Mul", [d(g, 0.5), x]), g.op1("Mul", [g.op1("Sub", [d(g, 1), g.op1("Mul", [t, t])]), du])]);
    return g.op1("Add", [first, second]);
  }),
  siluBackward: backward("007/silu-backward", (g, x) => {
    const s = g.op1("Sigmoid", [x]);
    return g.op1("Mul", [s, g.op1("Add", [d(g, 1), g.op1("Mul", [x, g.op1("Sub", [d(g, 1), s])])])]);
  }),
};

const FORWARD = ["relu", "sigmoid", "tanh", "gelu", "geluTanh", "silu"] as const;
const BACKWARD = FORWARD.map((f) => `${f}Backward`);
const tolOf = (fn: string): TolMap => (fn.startsWith("gelu") ? TOL_GELU : TOL);

const X = (data: number[], shape: number[] = [data.length]) => tensor(data, shape);
const WORKED = () => X([-3, -1, 0, 0.5, 1, 3], [2, 3]);
const DY = () => X([1, -2, 0.5, 1, 3, -1], [2, 3]);
const HUGE = () => X([-800, -710, -20, 20, 710, 800]);
const fwd = (name: string, fn: string, x: Tensor) => mkCase(name, fn, { x }, tolOf(fn));
const bwd = (name: string, fn: string, x: Tensor, dy: Tensor) => mkCase(name, fn, { x, dy }, tolOf(fn));

function fixtureCases(): Case[] {
  const ones6 = X([1, 1, 1, 1, 1, 1]);
  return [
    fwd("worked example: exact (erf) GELU at six points", "gelu", WORKED()),
    fwd("exact GELU where the tanh form is furthest away (|x| ~ 2.7, 4.7e-4): use erf", "gelu", X([-2.7, -2.5, -2, 2, 2.5, 2.7])),
    fwd("exact GELU at x = +-30 and +-800: erf saturates, gelu(-800) = 0, gelu(800) = 800", "gelu", X([-800, -30, -6, 6, 30, 800])),
    fwd("tanh-form GELU (GPT-2) on the worked example: not the erf form", "geluTanh", WORKED()),
    fwd("tanh-form GELU where the exact form is furthest away (|x| ~ 2.7)", "geluTanh", X([-2.7, -2.5, -2, 2, 2.5, 2.7])),
    fwd("tanh-form GELU at x = +-30 and +-800: tanh(u) for u > 710 must saturate, not be NaN", "geluTanh", X([-800, -30, -6, 6, 30, 800])),
    fwd("relu: negatives, -0 and 0 give 0", "relu", X([-2, -0.5, -0, 0, 0.5, 3])),
    fwd("relu on a 3-D input [2,1,3]: elementwise, any shape", "relu", X([-3, -1, 0, 0.5, 1, 3], [2, 1, 3])),
    fwd("sigmoid on the worked example", "sigmoid", WORKED()),
    fwd("sigmoid at x = +-710, +-800: exp(x)/(1+exp(x)) is Infinity/Infinity = NaN above 709.78", "sigmoid", HUGE()),
    fwd("tanh on the worked example", "tanh", WORKED()),
    fwd("tanh at x = +-710, +-800: tanh built from exp overflows to NaN", "tanh", HUGE()),
    fwd("silu on the worked example", "silu", WORKED()),
    fwd("silu at x = +-710, +-800: x*exp(x)/(1+exp(x)) is NaN above 709.78", "silu", HUGE()),
    fwd("silu of a single element [1]", "silu", X([-1.5], [1])),
    bwd("relu backward: relu'(0) = 0, so dx = 0 at x = 0 (and for x < 0)", "reluBackward", X([-1, 0, 0, 2, -0, 0.25]), X([1, 2, 3, 4, 5, 6])),
    bwd("sigmoid backward on the worked example: s(1 - s) of s = sigmoid(x), not of x", "sigmoidBackward", WORKED(), DY()),
    bwd("sigmoid backward at x = +-710, +-800: exp(x) or exp(-x) written without care overflows to NaN on one side", "sigmoidBackward", HUGE(), ones6),
    bwd("tanh backward on the worked example: 1 - tanh(x)^2, not 1 - x^2", "tanhBackward", WORKED(), DY()),
    bwd("tanh backward at x = +-710, +-800: the derivative is 0, not NaN", "tanhBackward", HUGE(), ones6),
    bwd("silu backward on the worked example: s + x s (1 - s), not s", "siluBackward", WORKED(), DY()),
    bwd("silu backward at x = +-710, +-800: exp(x) or exp(-x) written without care overflows to NaN on one side", "siluBackward", HUGE(), ones6),
    bwd("exact GELU backward on the worked example: Phi(x) + x phi(x)", "geluBackward", WORKED(), DY()),
    bwd("exact GELU backward where the tanh form's derivative is furthest away (|x| ~ 2, 8.7e-4)", "geluBackward", X([-2.5, -2, -1, 1, 2, 2.5]), ones6),
    bwd("exact GELU backward at x = +-30 and +-800: 0 on the left, 1 on the right", "geluBackward", X([-800, -30, -6, 6, 30, 800]), ones6),
    bwd("tanh-form GELU backward on the worked example: chain rule through u = sqrt(2/pi)(x + 0.044715 x^3)", "geluTanhBackward", WORKED(), DY()),
    bwd("tanh-form GELU backward near |x| ~ 1.6, where the inner derivative matters most", "geluTanhBackward", X([-2, -1.5, -1, 1, 1.5, 2]), ones6),
    bwd("tanh-form GELU backward at x = +-30 and +-800: 0 on the left, 1 on the right", "geluTanhBackward", X([-800, -30, -6, 6, 30, 800]), ones6),
  ];
}

function randomShape(rng: Rng): number[] {
  const rank = rng.int(1, 3);
  const shape = Array.from({ length: rank - 1 }, () => rng.int(1, 4));
  shape.push(rng.pick([1, 3, 8, 16, 40]));
  return shape;
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 3; k++) {
    const fn = rng.pick(FORWARD);
    const shape = randomShape(rng);
    const scale = rng.pick([1, 3, 10]);
    cases.push(fwd(`${fn} x[${shape}] scale ${scale}`, fn, rng.tensor(shape, scale)));
  }
  for (let k = 0; k < 3; k++) {
    const fn = rng.pick(BACKWARD);
    const shape = randomShape(rng);
    const scale = rng.pick([1, 3, 10]);
    cases.push(bwd(`${fn} x,dy[${shape}] scale ${scale}`, fn, rng.tensor(shape, scale), rng.tensor(shape)));
  }
  return cases;
}

const sig = (name: string) => `${name}(x: Tensor): Tensor`;
const bsig = (name: string) => `${name}Backward(x: Tensor, dy: Tensor): Tensor`;

const spec: ModuleBody = {
  summary:
    "Write six elementwise activations (ReLU, sigmoid, tanh, exact erf GELU, tanh-form GELU, SiLU) and each one's backward pass, stable for inputs of any size (x = +-800 included). JavaScript has no Math.erf: write one good to 1.5e-7.",
  functions: [
    { name: "relu", signature: sig("relu"), doc: "x is [...]; out is [...], max(0, x)" },
    { name: "sigmoid", signature: sig("sigmoid"), doc: "x is [...]; out is [...], 1 / (1 + exp(-x))" },
    { name: "tanh", signature: sig("tanh"), doc: "x is [...]; out is [...]" },
    { name: "gelu", signature: sig("gelu"), doc: "x is [...]; out is [...], exact: 0.5 x (1 + erf(x / sqrt 2))" },
    { name: "geluTanh", signature: sig("geluTanh"), doc: "x is [...]; out is [...], 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))" },
    { name: "silu", signature: sig("silu"), doc: "x is [...]; out is [...], x * sigmoid(x)" },
    { name: "reluBackward", signature: bsig("relu"), doc: "x, dy are [...]; dx = dy * relu'(x), relu'(0) = 0" },
    { name: "sigmoidBackward", signature: bsig("sigmoid"), doc: "x, dy are [...]; dx = dy * s (1 - s)" },
    { name: "tanhBackward", signature: bsig("tanh"), doc: "x, dy are [...]; dx = dy * (1 - tanh(x)^2)" },
    { name: "geluBackward", signature: bsig("gelu"), doc: "x, dy are [...]; dx = dy * (Phi(x) + x phi(x))" },
    { name: "geluTanhBackward", signature: bsig("geluTanh"), doc: "x, dy are [...]; dx = dy * d/dx of the tanh form" },
    { name: "siluBackward", signature: bsig("silu"), doc: "x, dy are [...]; dx = dy * (s + x s (1 - s))" },
  ],
  toleranceText: "relu, sigmoid, tanh, silu and their backward: atol 1e-6, rtol 1e-5; gelu, geluTanh and their backward: atol 5e-6, rtol 1e-5 (the two GELU forms differ by up to 4.7e-4)",
  oracleText: "ONNX Relu, Sigmoid, Tanh (float64), Gelu opset 20 approximate none (float32: ORT has no float64 Erf) and tanh (float64), Swish opset 24 (float64); backward: graphs of dy * f'(x) in float64 (Erf in float32)",
  hints: {
    nudge: "Every function is one loop over x.data. Before writing exp(x), ask what Math.exp(800) is in JavaScript (Infinity) and what Infinity / Infinity is (NaN).",
    formula: [
      "sigmoid s = 1 / (1 + exp(-x)), s' = s (1 - s); tanh' = 1 - tanh^2; relu' = 1 if x > 0 else 0.",
      "gelu = x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), gelu' = Phi(x) + x exp(-x^2/2) / sqrt(2 pi).",
      "geluTanh = 0.5 x (1 + tanh(u)), u = sqrt(2/pi)(x + 0.044715 x^3); d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi)(1 + 3 * 0.044715 x^2).",
      "silu = x s, silu' = s (1 + x (1 - s)).",
      "erf (Abramowitz & Stegun 7.1.26), for a = |z|: t = 1 / (1 + 0.3275911 a), erf = 1 - t (0.254829592 + t (-0.284496736 + t (1.421413741 + t (-1.453152027 + t 1.061405429)))) exp(-a^2), odd in z.",
    ].join("\n"),
    pseudocode: [
      "function erf(z): a = |z|; t = 1/(1 + 0.3275911 a); y = 1 - poly(t) * exp(-a*a); return z < 0 ? -y : y",
      "forward:  out = new Float32Array(n); for i: out[i] = f(x.data[i]); return { data: out, shape: [...x.shape] }",
      "backward: dx[i] = dy.data[i] * fprime(x.data[i])",
      "sigmoid(v) = 1 / (1 + Math.exp(-v))   // safe for every v; never exp(v) / (1 + exp(v))",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const x = arg<Tensor>(c, "x");
    const fm = forwardModels[c.fn];
    if (fm) return (await ort.run(fm, { x })).y!;
    const bm = backwardModels[c.fn];
    if (!bm) throw new Error(`007: no oracle for ${c.fn}`);
    return (await ort.run(bm, { x, dy: arg<Tensor>(c, "dy") })).dx!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
