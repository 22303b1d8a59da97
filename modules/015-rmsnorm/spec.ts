// 015 rmsnorm: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, OracleModel, Tensor, TolMap } from "../../src/core/types.ts";
import type { Graph } from "../../src/onnx/graph.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_FWD: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };
const TOL_BACK: TolMap = { "*": { atol: 1e-5, rtol: 1e-4 } };
const EPS = 1e-6;

/** One oracle model per eps value (eps is an attribute or a constant of the graph). */
function perEps(key: string, build: (g: Graph, eps: number) => void): (eps: number) => OracleModel {
  const cache = new Map<number, OracleModel>();
  return (eps) => {
    let m = cache.get(eps);
    if (!m) cache.set(eps, (m = model(`${key}/eps=${eps}`, (g) => build(g, eps))));
    return m;
  };
}

// forward oracle: ONNX RMSNormalization (opset 23) over the last axis, in float64
const forwardModel = perEps("015/rmsnorm", (g, eps) =>
  g.output(f32(g, g.op1("RMSNormalization", [f64(g, g.input("x")), f64(g, g.input("weight"))], { axis: -1, epsilon: { float: eps } })), "y"));

// backward oracle: float64 graph on x viewed as [N, D], built on the op itself:
//   xhat = RMSNormalization(x, scale = 1) and r = 1/sqrt(mean(x^2) + eps) per row from the same op;
//   g = dy w; dx = r (g - xhat mean(g xhat)), dweight = sum_rows dy xhat.
// r = xhat / x fails where x = 0, so r comes from x' = Where(x == 0, 1e-150, x): RMSNormalization(x', 1) / x'
// is r at every element (x' is never 0), and the added 1e-300 per replaced zero vanishes next to
// mean(x^2) + eps (eps >= 1e-6), so a row of zeros gets r = 1/sqrt(eps) as it should.
const backwardModel = perEps("015/rmsnorm-backward", (g, eps) => {
  const x = f64(g, g.input("x"));
  const w = f64(g, g.input("weight"));
  const dy = f64(g, g.input("dy"));
  const last = g.constant([-1], [1]);
  const ones = g.op1("Expand", [g.scalar(1, "float64"), g.op1("Shape", [w])]);
  const norm = (v: string) => g.op1("RMSNormalization", [v, ones], { axis: -1, epsilon: { float: eps } });
  const xhat = norm(x);
  const safe = g.op1("Where", [g.op1("Equal", [x, g.scalar(0, "float64")]), g.scalar(1e-150, "float64"), x]);
  const r = g.op1("Div", [norm(safe), safe]);
  const gw = g.op1("Mul", [dy, w]);
  const m = g.op1("ReduceMean", [g.op1("Mul", [gw, xhat]), last], { keepdims: 1 });
  g.output(f32(g, g.op1("Mul", [r, g.op1("Sub", [gw, g.op1("Mul", [xhat, m])])])), "dx");
  g.output(f32(g, g.op1("ReduceSum", [g.op1("Mul", [dy, xhat]), g.constant([0], [1])], { keepdims: 0 })), "dweight");
});

const X = (data: number[], shape: number[]) => tensor(data, shape);
const asRows = (t: Tensor): Tensor => {
  const d = t.shape[t.shape.length - 1]!;
  return { data: t.data, shape: [t.data.length / d, d] };
};

function fixtureCases(): Case[] {
  const tiny = X([0.001, -0.002, 0.0015, 0.0005, -0.001, 0.001, 0.002, -0.0005], [2, 4]);
  return [
    mkCase("worked example: two rows of three, weight [1, 0.5, 2]", "rmsNorm", { x: X([1, 2, 3, 2, -2, 1], [2, 3]), weight: X([1, 0.5, 2], [3]), eps: EPS }, TOL_FWD),
    mkCase("a constant row [3, 3, 3, 3] normalises to the weight (LayerNorm would give zeros)", "rmsNorm", { x: X([3, 3, 3, 3], [1, 4]), weight: X([0.5, 1, 1.5, 2], [4]), eps: EPS }, TOL_FWD),
    mkCase("tiny activations (|x| ~ 1e-3, mean(x^2) ~ eps): eps goes inside the sqrt", "rmsNorm", { x: tiny, weight: X([1, 1, 1, 1], [4]), eps: EPS }, TOL_FWD),
    mkCase("a row of zeros stays zero (eps keeps 0/0 away)", "rmsNorm", { x: X([0, 0, 0, 1, -1, 2], [2, 3]), weight: X([1, 2, 3], [3]), eps: EPS }, TOL_FWD),
    mkCase("eps is an argument: eps = 1e-5 on tiny activations", "rmsNorm", { x: tiny, weight: X([1, -1, 2, 0.5], [4]), eps: 1e-5 }, TOL_FWD),
    mkCase("D = 1: x / sqrt(x^2 + eps) * weight, about sign(x) * weight, except where x^2 is near eps (x = 0.001 gives 1.0607)", "rmsNorm", { x: X([2, -0.5, 0.001], [3, 1]), weight: X([1.5], [1]), eps: EPS }, TOL_FWD),
    mkCase("large activations (1e4): RMSNorm is scale-invariant", "rmsNorm", { x: X([10000, -20000, 30000, 15000], [1, 4]), weight: X([1, 1, 1, 1], [4]), eps: EPS }, TOL_FWD),
    mkCase("3-D input [2,2,4]: normalise over the last axis only", "rmsNorm", { x: X([1, 2, 3, 4, -1, 0, 1, 0, 0.5, 0.5, -0.5, 2, 4, 3, 2, 1], [2, 2, 4]), weight: X([1, 2, 0.5, -1], [4]), eps: EPS }, TOL_FWD),
    mkCase("backward on the worked example's x and weight, dy [[0.1, -0.2, 0.3], [1, 0, -1]]", "rmsNormBackward", { x: X([1, 2, 3, 2, -2, 1], [2, 3]), weight: X([1, 0.5, 2], [3]), dy: X([0.1, -0.2, 0.3, 1, 0, -1], [2, 3]), eps: EPS }, TOL_BACK),
    mkCase("backward on [2,2,4]: dweight sums over every row of every batch", "rmsNormBackward", { x: X([1, 2, 3, 4, -1, 0, 1, 0, 0.5, 0.5, -0.5, 2, 4, 3, 2, 1], [2, 2, 4]), weight: X([1, 2, 0.5, -1], [4]), dy: X([1, 0, 0, 0, 0, 1, 0, 0, 0.5, -0.5, 1, 2, -1, 1, -1, 1], [2, 2, 4]), eps: EPS }, TOL_BACK),
    mkCase("backward on tiny activations: eps enters the gradient too", "rmsNormBackward", { x: tiny, weight: X([1, 1, 1, 1], [4]), dy: X([1, -1, 0.5, 0, 0.2, 0.3, -0.4, 1], [2, 4]), eps: EPS }, TOL_BACK),
  ];
}

function randomShape(rng: Rng): number[] {
  const rank = rng.int(1, 3);
  const shape = Array.from({ length: rank - 1 }, () => rng.int(1, 4));
  shape.push(rng.pick([1, 3, 8, 16, 64, 100]));
  return shape;
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 4; k++) {
    const shape = randomShape(rng);
    const scale = rng.pick([0.01, 1, 5]);
    const eps = rng.pick([1e-6, 1e-5]);
    const d = shape[shape.length - 1]!;
    cases.push(mkCase(`rmsNorm x[${shape}] scale ${scale} eps ${eps}`, "rmsNorm", { x: rng.tensor(shape, scale), weight: rng.tensor([d], 0.5, 1), eps }, TOL_FWD));
  }
  for (let k = 0; k < 2; k++) {
    const shape = randomShape(rng);
    const d = shape[shape.length - 1]!;
    cases.push(mkCase(`rmsNormBackward x,dy[${shape}]`, "rmsNormBackward", { x: rng.tensor(shape, rng.pick([0.1, 1, 3])), weight: rng.tensor([d], 0.5, 1), dy: rng.tensor(shape), eps: EPS }, TOL_BACK));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write RMSNorm over the last axis (y = x / sqrt(mean(x^2) + eps) * weight, the Llama normalisation: no mean subtracted, no bias) and its backward pass, returning dx and dweight.",
  functions: [
    { name: "rmsNorm", signature: "rmsNorm(x: Tensor, weight: Tensor, eps: number): Tensor", doc: "x is [..., D], weight is [D]; out is [..., D]; eps is 1e-6 in Llama" },
    { name: "rmsNormBackward", signature: "rmsNormBackward(x: Tensor, weight: Tensor, dy: Tensor, eps: number): { dx: Tensor; dweight: Tensor }", doc: "x and dy are [..., D], weight is [D]; dx is [..., D], dweight is [D] (summed over all rows)" },
  ],
  toleranceText: "rmsNorm: atol 1e-6, rtol 1e-5; rmsNormBackward (dx and dweight): atol 1e-5, rtol 1e-4",
  oracleText: "ONNX RMSNormalization (opset 23, axis -1, float64); backward: xhat = RMSNormalization(x, 1) and r = RMSNormalization(x', 1) / x' (x' = x with exact zeros replaced by 1e-150), then the float64 graph r * (dy*w - xhat * mean(dy*w*xhat)) and ReduceSum(dy * xhat) over rows",
  hints: {
    nudge: "Work one row of the last axis at a time. RMSNorm is LayerNorm without the centring and without the bias: what is left to compute per row?",
    formula: "r = 1 / sqrt(mean_i(x_i^2) + eps); y_i = x_i * r * w_i. Backward with xhat = x * r and g = dy * w: dx = r * (g - xhat * mean_i(g_i * xhat_i)); dweight = sum over rows of dy * xhat.",
    pseudocode: [
      "D = last dim; for each row at offset o = 0, D, 2D, ...:",
      "  ss = sum_i x[o+i]^2;  r = 1 / sqrt(ss / D + eps)",
      "  forward:  y[o+i] = x[o+i] * r * w[i]",
      "  backward: xhat_i = x[o+i] * r; g_i = dy[o+i] * w[i]",
      "            dw[i] += dy[o+i] * xhat_i;  m = (sum_i g_i * xhat_i) / D",
      "            dx[o+i] = r * (g_i - xhat_i * m)",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const x = arg<Tensor>(c, "x");
    const weight = arg<Tensor>(c, "weight");
    const eps = arg<number>(c, "eps");
    if (c.fn === "rmsNorm") return (await ort.run(forwardModel(eps), { x, weight })).y!;
    const out = await ort.run(backwardModel(eps), { x: asRows(x), weight, dy: asRows(arg<Tensor>(c, "dy")) });
    return { dx: { data: out.dx!.data as Float32Array, shape: [...x.shape] }, dweight: out.dweight! };
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
