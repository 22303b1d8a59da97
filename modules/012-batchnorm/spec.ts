// 012 batchnorm: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap, Value } from "../../src/core/types.ts";
import type { Graph } from "../../src/onnx/graph.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL: TolMap = { "*": { atol: 1e-5, rtol: 1e-5 } };
const TOL_BACK: TolMap = { "*": { atol: 1e-5, rtol: 1e-4 } };

/** A float64 number fed through float32 inputs: hi = fround(v), lo = fround(v - hi); hi + lo = v to ~1e-15. */
function split(v: number): { hi: Tensor; lo: Tensor } {
  const hi = Math.fround(v);
  return { hi: { data: Float32Array.of(hi), shape: [] }, lo: { data: Float32Array.of(Math.fround(v - hi)), shape: [] } };
}
/** The graph side of split(): a float64 scalar from inputs <name>Hi and <name>Lo. */
const dscalar = (g: Graph, name: string) => g.op1("Add", [f64(g, g.input(`${name}Hi`)), f64(g, g.input(`${name}Lo`))]);
const feed = (name: string, v: number) => { const s = split(v); return { [`${name}Hi`]: s.hi, [`${name}Lo`]: s.lo }; };
const AX0 = (g: Graph) => g.constant([0], [1]);
const mean0 = (g: Graph, v: string) => g.op1("ReduceMean", [v, AX0(g)], { keepdims: 1 }); // [1,D]

// training oracle: a float64 graph (ONNX BatchNormalization's training mode uses the biased variance
// and the opposite momentum convention for the running statistics, so it is written out)
// momentum and eps reach it in float64 (each split into two float32 inputs)
const trainModel = model("012/batchnorm-train", (g) => {
  const x = f64(g, g.input("x"));
  const gamma = f64(g, g.input("gamma"));
  const beta = f64(g, g.input("beta"));
  const rm = f64(g, g.input("runningMeanIn"));
  const rv = f64(g, g.input("runningVarIn"));
  const mean = mean0(g, x);
  const d = g.op1("Sub", [x, mean]);
  const variance = mean0(g, g.op1("Mul", [d, d])); // biased, [1,D]
  const inv = g.op1("Reciprocal", [g.op1("Sqrt", [g.op1("Add", [variance, dscalar(g, "eps")])])]);
  g.output(f32(g, g.op1("Add", [g.op1("Mul", [g.op1("Mul", [d, inv]), gamma]), beta])), "y");
  const n = g.op1("Cast", [g.op1("Gather", [g.op1("Shape", [x]), g.scalar(0, "int64")], { axis: 0 })], { to: 11 });
  const unbiased = g.op1("Div", [g.op1("Mul", [variance, n]), g.op1("Sub", [n, g.scalar(1, "float64")])]);
  const m = dscalar(g, "momentum");
  const keep = g.op1("Sub", [g.scalar(1, "float64"), m]);
  const flat = (v: string) => g.op1("Squeeze", [v, AX0(g)]);
  g.output(f32(g, g.op1("Add", [g.op1("Mul", [keep, rm]), g.op1("Mul", [m, flat(mean)])])), "runningMean");
  g.output(f32(g, g.op1("Add", [g.op1("Mul", [keep, rv]), g.op1("Mul", [m, flat(unbiased)])])), "runningVar");
});

// eval oracle: ONNX BatchNormalization (inference mode), float64, epsilon 1e-5
const evalModel = model("012/batchnorm-eval", (g) => {
  const ins = ["x", "gamma", "beta", "runningMean", "runningVar"].map((n) => f64(g, g.input(n)));
  g.output(f32(g, g.op1("BatchNormalization", ins, { epsilon: { float: 1e-5 } })), "y");
});

// backward oracle: float64 graph; dxhat = dy * gamma, dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
const backwardModel = model("012/batchnorm-backward", (g) => {
  const dy = f64(g, g.input("dy"));
  const xhat = f64(g, g.input("xhat"));
  const inv = f64(g, g.input("invStd"));
  const gamma = f64(g, g.input("gamma"));
  const sum0 = (v: string) => g.op1("ReduceSum", [v, AX0(g)], { keepdims: 0 });
  g.output(f32(g, sum0(dy)), "dbeta");
  g.output(f32(g, sum0(g.op1("Mul", [dy, xhat]))), "dgamma");
  const dxhat = g.op1("Mul", [dy, gamma]);
  const centred = g.op1("Sub", [dxhat, mean0(g, dxhat)]);
  const proj = g.op1("Mul", [xhat, mean0(g, g.op1("Mul", [dxhat, xhat]))]);
  g.output(f32(g, g.op1("Mul", [inv, g.op1("Sub", [centred, proj])])), "dx");
});

const X = (data: number[], shape: number[]) => tensor(data, shape);
type Cache = { xhat: Tensor; invStd: Tensor; gamma: Tensor };

/** The cache batchNormBackward receives: the reference's, from a forward pass on x. */
function cacheOf(x: Tensor, gamma: Tensor, eps = 1e-5): Cache {
  const D = x.shape[1]!;
  const zeros = X(new Array(D).fill(0), [D]), ones = X(new Array(D).fill(1), [D]);
  return reference.batchNormTrain(x, gamma, zeros, zeros, ones, 0.1, eps).cache;
}

const train = (name: string, x: Tensor, gamma: Tensor, beta: Tensor, rm: Tensor, rv: Tensor, extra?: { momentum: number; eps: number }, throws = false) =>
  mkCase(name, "batchNormTrain", { x, gamma, beta, runningMean: rm, runningVar: rv, ...(extra ?? {}) }, TOL, throws);
const back = (name: string, dy: Tensor, cache: Cache) => mkCase(name, "batchNormBackward", { dy, cache: cache as unknown as Value }, TOL_BACK);

function fixtureCases(): Case[] {
  const xw = X([1, 2, 3, 6, 5, 4, 7, 8], [4, 2]);
  const g2 = X([1, 0.5], [2]), b2 = X([0, 1], [2]);
  const z2 = X([0, 0], [2]), o2 = X([1, 1], [2]);
  const x3 = X([0.5, -1, 2, 1.5, 0, -2, -0.5, 3, 1, 2.5, -1.5, 0], [4, 3]);
  const g3 = X([1.5, -0.5, 2], [3]);
  return [
    train("worked example: x[4,2], default momentum 0.1 and eps 1e-5", xw, g2, b2, z2, o2),
    train("N = 2: the running variance uses the unbiased variance (twice the biased one here)", X([1, -1, 3, 5], [2, 2]), o2, z2, z2, o2, { momentum: 0.1, eps: 1e-5 }),
    train("N = 1 in training is an error (no batch variance, as in PyTorch)", X([1, 2], [1, 2]), o2, z2, z2, o2, { momentum: 0.1, eps: 1e-5 }, true),
    train("momentum 0.5 and non-trivial running statistics: running = (1 - m) * running + m * batch",
      x3, g3, X([0.1, 0.2, -0.3], [3]), X([1, -2, 0.5], [3]), X([4, 0.25, 2], [3]), { momentum: 0.5, eps: 1e-5 }),
    train("a feature with variance 1e-6: eps goes inside the square root",
      X([1, 0.001, 2, -0.001, 3, 0.001, 4, -0.001], [4, 2]), o2, z2, z2, o2, { momentum: 0.1, eps: 1e-5 }),
    train("a constant feature: xhat = 0, y = beta", X([7, 1, 7, 2, 7, 3], [3, 2]), X([2, 1], [2]), X([0.5, -0.5], [2]), z2, o2, { momentum: 0.1, eps: 1e-5 }),
    train("offset data (mean 1000) and a custom eps = 1e-3", X([1000.5, -3, 999.5, -3.5, 1001, -2, 999, -4, 1000, -2.5], [5, 2]), g2, b2, z2, o2, { momentum: 0.1, eps: 1e-3 }),
    mkCase("eval worked example: running statistics, not the batch's", "batchNormEval", { x: xw, gamma: g2, beta: b2, runningMean: X([2, 3], [2]), runningVar: X([4, 9], [2]) }, TOL),
    mkCase("eval with running variances 1e-6 and 0: eps (1e-5) inside the square root keeps them finite", "batchNormEval", { x: X([0.001, 0.5, -0.002, -0.5, 0.0005, 0], [3, 2]), gamma: o2, beta: z2, runningMean: X([0, 0.1], [2]), runningVar: X([1e-6, 0], [2]) }, TOL),
    mkCase("eval with N = 1 is fine: it never looks at the batch", "batchNormEval", { x: X([3, -1, 0.5], [1, 3]), gamma: g3, beta: X([0, 1, -1], [3]), runningMean: X([1, 0, 0.5], [3]), runningVar: X([4, 1, 0.25], [3]) }, TOL),
    back("backward worked example: cache of the worked example, dy[4,2]", X([0.1, -0.2, 0.3, 0.4, -0.5, 0.1, 0.2, 0], [4, 2]), cacheOf(xw, g2)),
    back("backward: dy constant down each column gives dx = 0 (absorbed by the mean)", X([1, -2, 1, -2, 1, -2, 1, -2], [4, 2]), cacheOf(xw, g2)),
    back("backward: dy proportional to xhat gives dx = 0 (absorbed by the variance)", (() => {
      const c = cacheOf(x3, g3);
      return X(Array.from(c.xhat.data, (v, i) => v * [2, -1, 0.5][i % 3]!), [4, 3]);
    })(), cacheOf(x3, g3)),
    back("backward with gamma [1.5,-0.5,2] on x[4,3]", X([0.3, -0.1, 0.2, 1, 0.5, -0.4, -0.7, 0.2, 0.9, 0.1, -0.3, 0], [4, 3]), cacheOf(x3, g3)),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const pos = (d: number) => ({ data: Float32Array.from({ length: d }, () => 0.2 + 2 * rng.next()), shape: [d] });
  for (let k = 0; k < 3; k++) {
    const N = rng.int(2, 16), D = rng.int(1, 8);
    const momentum = rng.pick([0.1, 0.1, 0.01, 0.3]);
    const x = rng.tensor([N, D], rng.pick([0.5, 1, 3]), rng.pick([0, 2, -5]));
    cases.push(train(`batchNormTrain x[${N},${D}] momentum ${momentum}`, x, rng.tensor([D], 0.5, 1), rng.tensor([D], 0.5), rng.tensor([D]), pos(D), { momentum, eps: 1e-5 }));
  }
  {
    const N = rng.int(1, 12), D = rng.int(1, 8);
    cases.push(mkCase(`batchNormEval x[${N},${D}]`, "batchNormEval", { x: rng.tensor([N, D], 2, 1), gamma: rng.tensor([D], 0.5, 1), beta: rng.tensor([D], 0.5), runningMean: rng.tensor([D]), runningVar: pos(D) }, TOL));
  }
  for (let k = 0; k < 2; k++) {
    const N = rng.int(2, 16), D = rng.int(1, 8);
    const cache = cacheOf(rng.tensor([N, D], rng.pick([0.5, 2]), 1), rng.tensor([D], 0.5, 1));
    cases.push(back(`batchNormBackward dy[${N},${D}]`, rng.tensor([N, D]), cache));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write BatchNorm over [N, D] (per-feature statistics over the batch): the training forward (biased variance to normalise, running statistics updated with momentum and the unbiased variance, N = 1 rejected), the eval forward from the running statistics, and the backward pass from a cache { xhat, invStd, gamma }.",
  functions: [
    { name: "batchNormTrain", signature: "batchNormTrain(x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor, momentum = 0.1, eps = 1e-5): { y: Tensor; runningMean: Tensor; runningVar: Tensor; cache: { xhat: Tensor; invStd: Tensor; gamma: Tensor } }", doc: "x is [N,D], the rest [D]; y is [N,D]; new running statistics [D]; cache.xhat [N,D], cache.invStd [D], cache.gamma [D] (the cache is not graded); throws when N = 1" },
    { name: "batchNormEval", signature: "batchNormEval(x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor): Tensor", doc: "x is [N,D], the rest [D]; y = gamma * (x - runningMean) / sqrt(runningVar + 1e-5) + beta, [N,D]" },
    { name: "batchNormBackward", signature: "batchNormBackward(dy: Tensor, cache: { xhat: Tensor; invStd: Tensor; gamma: Tensor }): { dx: Tensor; dgamma: Tensor; dbeta: Tensor }", doc: "dy is [N,D]; cache.xhat [N,D], cache.invStd = 1/sqrt(var + eps) [D], cache.gamma [D]; dx [N,D], dgamma and dbeta [D]" },
  ],
  toleranceText: "batchNormTrain (y, runningMean, runningVar) and batchNormEval: atol 1e-5, rtol 1e-5; batchNormBackward: atol 1e-5, rtol 1e-4",
  oracleText: "eval: ONNX BatchNormalization (float64); train: float64 graph (ReduceMean, Sub, Mul, Sqrt, Reciprocal; running statistics with the unbiased variance); backward: float64 graph (ReduceSum, ReduceMean, Mul, Sub)",
  hints: {
    nudge: "Work column by column: feature j's statistics come from x[0..N-1][j]. Keep two variances apart: the one you normalise with (divide by N) and the one that goes into runningVar (divide by N - 1).",
    formula: "mean = sum_i x_i / N; var = sum_i (x_i - mean)^2 / N; xhat = (x - mean) / sqrt(var + eps); y = gamma * xhat + beta. runningMean' = (1 - m) runningMean + m mean; runningVar' = (1 - m) runningVar + m var * N / (N - 1). Backward: dbeta = sum dy, dgamma = sum dy * xhat, dxhat = dy * gamma, dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)).",
    pseudocode: [
      "train: if N < 2 throw",
      "  for j: mean, ss = sum (x - mean)^2; inv = 1/sqrt(ss/N + eps)",
      "         for i: xhat = (x[i,j] - mean) * inv; y[i,j] = gamma[j] * xhat + beta[j]",
      "         newMean[j] = (1-m)*runningMean[j] + m*mean; newVar[j] = (1-m)*runningVar[j] + m*ss/(N-1)",
      "  return { y, runningMean: newMean, runningVar: newVar, cache: { xhat, invStd, gamma } }",
      "eval: y[i,j] = gamma[j] * (x[i,j] - runningMean[j]) / sqrt(runningVar[j] + 1e-5) + beta[j]",
      "backward, for j: s = sum_i dy, sx = sum_i dy*xhat; dbeta = s; dgamma = sx",
      "  dx[i,j] = invStd[j] * gamma[j] * (dy[i,j] - s/N - xhat[i,j] * sx/N)",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const a = (n: string) => arg<Tensor>(c, n);
    if (c.fn === "batchNormTrain") {
      const has = (n: string) => c.args.some((x) => x.name === n);
      const m = has("momentum") ? arg<number>(c, "momentum") : 0.1;
      const eps = has("eps") ? arg<number>(c, "eps") : 1e-5;
      const out = await ort.run(trainModel, { x: a("x"), gamma: a("gamma"), beta: a("beta"), runningMeanIn: a("runningMean"), runningVarIn: a("runningVar"), ...feed("momentum", m), ...feed("eps", eps) });
      return { y: out.y!, runningMean: out.runningMean!, runningVar: out.runningVar! } as Value;
    }
    if (c.fn === "batchNormEval") {
      return (await ort.run(evalModel, { x: a("x"), gamma: a("gamma"), beta: a("beta"), runningMean: a("runningMean"), runningVar: a("runningVar") })).y!;
    }
    const cache = arg<Value>(c, "cache") as unknown as Cache;
    const out = await ort.run(backwardModel, { dy: a("dy"), xhat: cache.xhat, invStd: cache.invStd, gamma: cache.gamma });
    return { dx: out.dx!, dgamma: out.dgamma!, dbeta: out.dbeta! } as Value;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
