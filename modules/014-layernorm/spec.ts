// 014 layernorm: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Rng } from "../../src/core/rng.ts";
import type { Case, ModuleBody, OracleModel, Tensor, TolMap } from "../../src/core/types.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_FWD: TolMap = { "*": { atol: 2e-5, rtol: 1e-4 } };
/** dgamma and dbeta sum over rows: atol grows with the number of rows. */
const tolBack = (rows: number): TolMap => ({ dx: { atol: 2e-5, rtol: 1e-4 }, dgamma: { atol: 1e-5 * Math.max(1, rows), rtol: 1e-4 }, dbeta: { atol: 1e-5 * Math.max(1, rows), rtol: 1e-4 } });

// ONNX LayerNormalization on float32 inputs is 1.6% off on the mean-1e5 case (float32 statistics);
// fed float64 it agrees with a two-pass float64 answer to 2e-8, so the oracle casts.
const models = new Map<string, OracleModel>();
function lnModel(eps: number, backward: boolean): OracleModel {
  const key = `014/layernorm/${backward ? "backward" : "forward"}/eps=${eps}`;
  let m = models.get(key);
  if (m) return m;
  m = model(key, (g) => {
    const x = f64(g, g.input("x"));
    const gamma = f64(g, g.input("gamma"));
    if (!backward) {
      const beta = f64(g, g.input("beta"));
      g.output(f32(g, g.op1("LayerNormalization", [x, gamma, beta], { axis: -1, epsilon: { float: eps } })), "y");
      return;
    }
    // x is fed as [R, D]; the op with unit scale gives xhat in float64, and its InvStdDev output
    // (float32: ORT has no kernel with double statistics) gives rstd to 6e-8 relative
    const dy = f64(g, g.input("dy"));
    const unit = f64(g, g.input("unit"));
    const [xhat, , invstd32] = g.op("LayerNormalization", [x, unit], { axis: -1, epsilon: { float: eps } }, 3);
    const invstd = f64(g, invstd32!);
    const last = g.constant([-1], [1]);
    const first = g.constant([0], [1]);
    const gg = g.op1("Mul", [dy, gamma]);
    const meanG = g.op1("ReduceMean", [gg, last], { keepdims: 1 });
    const meanGX = g.op1("ReduceMean", [g.op1("Mul", [gg, xhat!]), last], { keepdims: 1 });
    const dx = g.op1("Mul", [invstd, g.op1("Sub", [g.op1("Sub", [gg, meanG]), g.op1("Mul", [xhat!, meanGX])])]);
    g.output(f32(g, dx), "dx");
    g.output(f32(g, g.op1("ReduceSum", [g.op1("Mul", [dy, xhat!]), first], { keepdims: 0 })), "dgamma");
    g.output(f32(g, g.op1("ReduceSum", [dy, first], { keepdims: 0 })), "dbeta");
  });
  models.set(key, m);
  return m;
}

const X = (data: number[], shape: number[]) => tensor(data, shape);
const ones = (d: number) => tensor(new Array(d).fill(1), [d]);
const zeros = (d: number) => tensor(new Array(d).fill(0), [d]);
const rowsOf = (t: Tensor) => t.data.length / t.shape[t.shape.length - 1]!;

function fwd(name: string, x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Case {
  return mkCase(name, "layerNorm", { x, gamma, beta, eps }, TOL_FWD);
}
function back(name: string, x: Tensor, gamma: Tensor, dy: Tensor, eps = 1e-5): Case {
  return mkCase(name, "layerNormBackward", { x, gamma, dy, eps }, tolBack(rowsOf(x)));
}

/** Rows with a large mean and a tiny spread: where E[x^2] - E[x]^2 loses its digits. */
function offsetRows(mean: number, spread: number, rows: number, d: number): Tensor {
  const data: number[] = [];
  for (let r = 0; r < rows; r++) for (let i = 0; i < d; i++) data.push(mean + spread * Math.sin(1.7 * i + r));
  return X(data, [rows, d]);
}

function fixtureCases(): Case[] {
  return [
    fwd("worked example: two rows of four", X([1, 2, 3, 4, 2, 2, 2, 6], [2, 4]), X([1, 1, 2, 0.5], [4]), X([0, 0.5, 0, -1], [4])),
    fwd("rows with mean 1e5 and spread 1e-2: subtract the mean before squaring (E[x^2] - E[x]^2 cancels)", offsetRows(1e5, 1e-2, 2, 16), ones(16), zeros(16)),
    fwd("a constant row: variance 0, so the output is beta (eps keeps it finite)", X([3, 3, 3, 3], [1, 4]), X([1, 2, 3, 4], [4]), X([0.1, 0.2, 0.3, 0.4], [4])),
    fwd("tiny spread (1e-3, variance 1e-6 against eps 1e-5): eps goes inside the square root", offsetRows(0, 1e-3, 2, 8), ones(8), zeros(8)),
    fwd("population variance (divide by D), not the unbiased D - 1", X([0, 1, 0, 1, 5, -5], [2, 3]), ones(3), zeros(3)),
    fwd("3-D input [2,3,4]: normalise over the last axis only", X(Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) - 5), [2, 3, 4]), X([0.5, 1, 1.5, 2], [4]), X([1, 0, -1, 0], [4])),
    fwd("D = 1: every value is its own mean, the output is beta", X([5, -2, 7], [3, 1]), X([2], [1]), X([0.25], [1])),
    fwd("eps = 1e-3 is an argument, not a constant", X([1, 1.01, 0.99, 1], [1, 4]), ones(4), zeros(4), 1e-3),
    back("backward worked example: two rows of three", X([1, 2, 4, -1, 0, 1], [2, 3]), X([1, 0.5, 2], [3]), X([0.5, -1, 0.25, 1, 1, -2], [2, 3])),
    back("backward: a constant upstream gradient gives dx = 0 (the mean absorbs it)", X([0.3, -1, 2, 0.5], [1, 4]), ones(4), X([1, 1, 1, 1], [1, 4])),
    back("backward on rows of spread 1e-3 (variance near eps): rstd = 1/sqrt(var + eps), the same eps as the forward", offsetRows(0, 1e-3, 2, 8), X([1, 0.5, -1, 2, 1, 1.5, -0.5, 1], [8]), X([0.3, -0.1, 0.2, 1, 0.5, -0.4, -0.7, 0.2, 0.9, 0.1, -0.3, 0, 0.4, -0.8, 0.6, 0.1], [2, 8])),
    back("backward on [2,2,3]: dgamma and dbeta sum over every row", X([1, 0, -1, 2, 2.5, 2, 0.5, 0.1, 3, -2, 1, 0], [2, 2, 3]), X([1, -1, 2], [3]), X([0.1, -0.2, 0.3, 1, 0, 0, -1, 2, 0.5, 0, 0, 1], [2, 2, 3])),
    back("backward with dy proportional to xhat: only the variance term cancels it", X([1, 2, 3, 4], [1, 4]), ones(4), X([-3, -1, 1, 3], [1, 4])),
  ];
}

function randomShape(rng: Rng): number[] {
  const rank = rng.int(1, 3);
  const shape = Array.from({ length: rank - 1 }, () => rng.int(1, 4));
  shape.push(rng.pick([1, 2, 5, 8, 16, 32, 64]));
  return shape;
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 4; k++) {
    const shape = randomShape(rng);
    const d = shape[shape.length - 1]!;
    const shift = rng.pick([0, 3, -50, 1000]);
    const eps = rng.pick([1e-5, 1e-5, 1e-6, 1e-3]);
    cases.push(fwd(`layerNorm x[${shape}] shift ${shift} eps ${eps}`, rng.tensor(shape, rng.pick([0.1, 1, 5]), shift), rng.tensor([d], 0.5, 1), rng.tensor([d], 0.5), eps));
  }
  for (let k = 0; k < 3; k++) {
    const shape = randomShape(rng);
    const d = shape[shape.length - 1]!;
    cases.push(back(`layerNormBackward x[${shape}]`, rng.tensor(shape, rng.pick([0.5, 2]), rng.pick([0, 4])), rng.tensor([d], 0.5, 1), rng.tensor(shape), 1e-5));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write layer normalisation over the last axis (per token: subtract the mean, divide by sqrt(variance + eps), then scale by gamma and shift by beta) and its backward pass, returning the gradients of x, gamma and beta.",
  functions: [
    { name: "layerNorm", signature: "layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor", doc: "x is [..., D], gamma and beta are [D]; out is [..., D]; biased variance, eps inside the sqrt" },
    { name: "layerNormBackward", signature: "layerNormBackward(x: Tensor, gamma: Tensor, dy: Tensor, eps: number): { dx: Tensor; dgamma: Tensor; dbeta: Tensor }", doc: "x, dy are [..., D], gamma is [D]; dx is [..., D]; dgamma, dbeta are [D], summed over all rows" },
  ],
  toleranceText: "layerNorm atol 2e-5, rtol 1e-4; backward dx atol 2e-5, rtol 1e-4; dgamma and dbeta atol 1e-5 x rows, rtol 1e-4",
  oracleText: "ONNX LayerNormalization (axis -1, float64); backward: a float64 graph on the op's Y with a unit scale (xhat) and its InvStdDev output",
  hints: {
    nudge: "One row of the last axis at a time. Compute the mean first, then the variance from (x - mean): what happens to E[x^2] - E[x]^2 when the mean is 1e5 and the spread 1e-2?",
    formula: [
      "mean = sum(x)/D; var = sum((x - mean)^2)/D (biased); rstd = 1/sqrt(var + eps); xhat = (x - mean)*rstd; y = gamma*xhat + beta.",
      "Backward, per row with g = dy*gamma: dx = rstd * (g - mean(g) - xhat * mean(g*xhat)); dgamma += dy*xhat; dbeta += dy (summed over rows).",
    ].join("\n"),
    pseudocode: [
      "for each row r (offset r*D):",
      "  mean = sum_i x[i] / D",
      "  var  = sum_i (x[i] - mean)^2 / D",
      "  rstd = 1 / sqrt(var + eps)",
      "  forward:  y[i] = (x[i] - mean) * rstd * gamma[i] + beta[i]",
      "  backward: xhat[i] = (x[i] - mean)*rstd; g[i] = dy[i]*gamma[i]",
      "            mg = mean_i g[i]; mgx = mean_i g[i]*xhat[i]",
      "            dx[i] = rstd * (g[i] - mg - xhat[i]*mgx)",
      "            dgamma[i] += dy[i]*xhat[i]; dbeta[i] += dy[i]",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const x = arg<Tensor>(c, "x");
    const gamma = arg<Tensor>(c, "gamma");
    const eps = arg<number>(c, "eps");
    if (c.fn === "layerNorm") return (await ort.run(lnModel(eps, false), { x, gamma, beta: arg<Tensor>(c, "beta") })).y!;
    const d = x.shape[x.shape.length - 1]!;
    const flat = (t: Tensor): Tensor => ({ data: t.data, shape: [t.data.length / d, d] });
    const r = await ort.run(lnModel(eps, true), { x: flat(x), gamma, dy: flat(arg<Tensor>(c, "dy")), unit: ones(d) });
    return { dx: { data: r.dx!.data as Float32Array, shape: [...x.shape] }, dgamma: r.dgamma!, dbeta: r.dbeta! };
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
