// 003 linear-regression: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap, Value } from "../../src/core/types.ts";
import type { Graph } from "../../src/onnx/graph.ts";
import { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_FIT: TolMap = { "*": { atol: 1e-5, rtol: 1e-5 } };
const TOL_STEP: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };

// ---- fit oracle: float64 least squares by Householder QR of A = [X, 1] (never forms A^T A) ----

/** theta minimising ||A theta - y||, A given by rows; float64 throughout. */
export function leastSquares(A: number[][], y: number[]): number[] {
  const N = A.length, P = A[0]!.length;
  const R = A.map((r) => [...r]);
  const q = [...y];
  for (let k = 0; k < P; k++) {
    let norm = 0;
    for (let i = k; i < N; i++) norm += R[i]![k]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) throw new Error("least squares: rank-deficient design");
    const alpha = R[k]![k]! > 0 ? -norm : norm;
    const v: number[] = [];
    for (let i = k; i < N; i++) v.push(R[i]![k]!);
    v[0]! -= alpha;
    let vv = 0;
    for (const e of v) vv += e * e;
    if (vv === 0) continue;
    const reflect = (get: (i: number) => number, set: (i: number, x: number) => void) => {
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i]! * get(k + i);
      const f = (2 * s) / vv;
      for (let i = 0; i < v.length; i++) set(k + i, get(k + i) - f * v[i]!);
    };
    for (let j = k; j < P; j++) reflect((i) => R[i]![j]!, (i, x) => (R[i]![j] = x));
    reflect((i) => q[i]!, (i, x) => (q[i] = x));
  }
  const th = new Array<number>(P).fill(0);
  for (let r = P - 1; r >= 0; r--) {
    let s = q[r]!;
    for (let c = r + 1; c < P; c++) s -= R[r]![c]! * th[c]!;
    th[r] = s / R[r]![r]!;
  }
  return th;
}

function design(X: Tensor): number[][] {
  const [N, D] = X.shape as [number, number];
  return Array.from({ length: N }, (_, i) => [...Array.from(X.data.subarray(i * D, i * D + D)), 1]);
}

function fitOracle(X: Tensor, y: Tensor): { w: Tensor; b: number } {
  const th = leastSquares(design(X), Array.from(y.data));
  const D = X.shape[1]!;
  return { w: { data: Float32Array.from(th.slice(0, D)), shape: [D] }, b: th[D]! };
}

// ---- step oracle: ONNX graph in float64; b and lr reach it in float64 (each split into two float32 inputs) ----

/** A float64 number fed through float32 inputs: hi = fround(v), lo = fround(v - hi); hi + lo = v to ~1e-15. */
function split(v: number): { hi: Tensor; lo: Tensor } {
  const hi = Math.fround(v);
  return { hi: { data: Float32Array.of(hi), shape: [] }, lo: { data: Float32Array.of(Math.fround(v - hi)), shape: [] } };
}
/** The graph side of split(): a float64 scalar from inputs <name>Hi and <name>Lo. */
const dscalar = (g: Graph, name: string) => g.op1("Add", [f64(g, g.input(`${name}Hi`)), f64(g, g.input(`${name}Lo`))]);
const feed = (name: string, v: number) => { const s = split(v); return { [`${name}Hi`]: s.hi, [`${name}Lo`]: s.lo }; };

const stepModel = model("003/gradient-step", (g: Graph) => {
  const X = f64(g, g.input("X"));
  const y = f64(g, g.input("y"));
  const w = f64(g, g.input("w"));
  const b = dscalar(g, "b");
  const rate = dscalar(g, "lr");
  const two = g.scalar(2, "float64");
  const r = g.op1("Sub", [g.op1("Add", [g.op1("MatMul", [X, w]), b]), y]); // [N]
  g.output(f32(g, g.op1("ReduceMean", [g.op1("Mul", [r, r])], { keepdims: 0 })), "loss");
  const rx = g.op1("Mul", [X, g.op1("Unsqueeze", [r, g.constant([1], [1])])]); // [N,D]
  const gw = g.op1("Mul", [two, g.op1("ReduceMean", [rx, g.constant([0], [1])], { keepdims: 0 })]);
  const gb = g.op1("Mul", [two, g.op1("ReduceMean", [r], { keepdims: 0 })]);
  g.output(f32(g, g.op1("Sub", [w, g.op1("Mul", [rate, gw])])), "wNew");
  g.output(f32(g, g.op1("Sub", [b, g.op1("Mul", [rate, gb])])), "bNew");
});

// ---- cases ----

const X = (data: number[], shape: number[]) => tensor(data, shape);
const fit = (name: string, x: Tensor, y: Tensor) => mkCase(name, "fitNormalEquations", { X: x, y }, TOL_FIT);
const stepCase = (name: string, x: Tensor, y: Tensor, w: Tensor, b: number, lr: number) =>
  mkCase(name, "gradientStep", { X: x, y, w, b, lr }, TOL_STEP);

/** y = X w + b + noise, float32. */
function linearData(rng: Rng, x: Tensor, w: number[], b: number, noise: number): Tensor {
  const [N, D] = x.shape as [number, number];
  return { data: Float32Array.from({ length: N }, (_, i) => {
    let s = b + noise * rng.normal();
    for (let j = 0; j < D; j++) s += x.data[i * D + j]! * w[j]!;
    return s;
  }), shape: [N] };
}

/** Columns 0 and 1 nearly equal: col1 = col0 + delta * noise. */
function nearCollinear(rng: Rng, N: number, D: number, delta: number): Tensor {
  const x = rng.tensor([N, D]);
  for (let i = 0; i < N; i++) x.data[i * D + 1] = x.data[i * D]! + delta * rng.normal();
  return x;
}

function fixtureCases(): Case[] {
  const rng = new Rng(3003);
  const x1 = X([0, 1, 2, 3], [4, 1]);
  const y1 = X([1.1, 2.9, 5.2, 6.8], [4]);
  const x3 = X([1, 0.5, -1, 2, -1, 0, 0, 1.5, 2, -0.5, 0, 1, 1, 1, 1, 3, -2, 0.5], [6, 3]);
  const y3 = X([0.5, 4, 3.5, -1, 2.5, 8], [6]);
  const xc = nearCollinear(rng, 24, 3, 1e-3);
  const xo = rng.tensor([16, 2], 1, 0);
  const fitted = reference.fitNormalEquations(x3, y3);
  return [
    fit("worked example: four points, one feature: y = 1.94 x + 1.09", x1, y1),
    fit("three features, six points", x3, y3),
    fit("near-collinear columns (col1 = col0 + 1e-3 noise): solve in float64", xc, linearData(rng, xc, [1, 2, -1], 0.5, 0.01)),
    fit("large intercept (b = 50): the column of ones carries it", xo, linearData(rng, xo, [0.5, -2], 50, 0.1)),
    fit("exact data (no noise): the true w and b come back", x3, X(Array.from({ length: 6 }, (_, i) => 2 * x3.data[i * 3]! - x3.data[i * 3 + 1]! + 0.5 * x3.data[i * 3 + 2]! - 1), [6])),
    fit("N = D + 1: a square system, the fit interpolates", X([1, 2, 2, -1, 0, 3], [3, 2]), X([4, -2, 5], [3])),
    stepCase("gradient step worked example: w = 0, b = 0, lr 0.1 (loss before the step)", x1, y1, X([0], [1]), 0, 0.1),
    stepCase("gradient step on three features, lr 0.05", x3, y3, X([0.5, -0.5, 1], [3]), 0.25, 0.05),
    stepCase("N = 64 rows: the gradient is (2/N) X^T r, a mean over rows", (() => rng.tensor([64, 2]))(), (() => rng.tensor([64], 2, 1))(), X([0.3, -0.2], [2]), -0.5, 0.01),
    stepCase("at the least-squares solution the gradient is ~0: w and b barely move", x3, y3, fitted.w, fitted.b, 0.1),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 2; k++) {
    const D = rng.int(1, 5), N = rng.int(D + 2, 24);
    const x = rng.tensor([N, D], rng.pick([0.5, 1, 3]), rng.pick([0, 0, 4]));
    const w = Array.from({ length: D }, () => 2 * rng.normal());
    cases.push(fit(`fitNormalEquations X[${N},${D}]`, x, linearData(rng, x, w, 3 * rng.normal(), rng.pick([0.01, 0.3]))));
  }
  {
    const D = rng.int(2, 4), N = rng.int(D + 8, 24), delta = rng.pick([1e-2, 1e-3]);
    const x = nearCollinear(rng, N, D, delta);
    cases.push(fit(`fitNormalEquations X[${N},${D}] near-collinear (delta ${delta})`, x, linearData(rng, x, Array.from({ length: D }, () => rng.normal()), rng.normal(), 0.01)));
  }
  for (let k = 0; k < 3; k++) {
    const D = rng.int(1, 6), N = rng.int(1, 24), lr = rng.pick([0.001, 0.01, 0.1]);
    const x = rng.tensor([N, D]);
    cases.push(stepCase(`gradientStep X[${N},${D}] lr ${lr}`, x, rng.tensor([N], 2), rng.tensor([D]), rng.normal(), lr));
  }
  return cases;
}

// residual r = y - X w - b must be orthogonal to every column of [X, 1] (normal equations A^T r = 0)
function residualProperty(c: Case, got: Value): string | null {
  const x = arg<Tensor>(c, "X"), y = arg<Tensor>(c, "y");
  const { w, b } = got as { w: Tensor; b: number };
  const [N, D] = x.shape as [number, number];
  const r = new Float64Array(N);
  let ry = 0, aF = N, th = b * b;
  for (let j = 0; j < D; j++) th += w.data[j]! ** 2;
  for (let i = 0; i < N; i++) {
    let p = b;
    for (let j = 0; j < D; j++) {
      p += x.data[i * D + j]! * w.data[j]!;
      aF += x.data[i * D + j]! ** 2;
    }
    r[i] = y.data[i]! - p;
    ry += y.data[i]! ** 2;
  }
  const scale = Math.sqrt(ry) + Math.sqrt(aF) * Math.sqrt(th);
  for (let j = 0; j <= D; j++) {
    let dot = 0, cc = 0;
    for (let i = 0; i < N; i++) {
      const a = j < D ? x.data[i * D + j]! : 1;
      dot += a * r[i]!;
      cc += a * a;
    }
    const rel = Math.abs(dot) / (Math.sqrt(cc) * scale);
    if (rel > 1e-6) return `the residual y - (X w + b) is not orthogonal to ${j < D ? `column ${j} of X` : "the column of ones"}: |a . r| / (|a| (|y| + |A| |theta|)) = ${rel.toExponential(2)} > 1e-6; the normal equations A^T (y - A theta) = 0 do not hold`;
  }
  return null;
}

const spec: ModuleBody = {
  summary:
    "Fit linear regression y ~ X w + b in closed form (normal equations on [X, 1], your own Gaussian elimination with partial pivoting, in float64), and take one gradient-descent step on the mean squared error, reporting the loss before the step.",
  functions: [
    { name: "fitNormalEquations", signature: "fitNormalEquations(X: Tensor, y: Tensor): { w: Tensor; b: number }", doc: "X is [N,D], y is [N]; w is [D], b a number; minimises mean((X w + b - y)^2); N >= D + 1" },
    { name: "gradientStep", signature: "gradientStep(X: Tensor, y: Tensor, w: Tensor, b: number, lr: number): { w: Tensor; b: number; loss: number }", doc: "X is [N,D], y [N], w [D]; returns w - lr dL/dw [D], b - lr dL/db, and L = mean((X w + b - y)^2) before the step" },
  ],
  toleranceText: "fitNormalEquations (w, b): atol 1e-5, rtol 1e-5, plus residual orthogonality to 1e-6; gradientStep (w, b, loss): atol 1e-6, rtol 1e-5",
  oracleText: "fit: float64 least squares by Householder QR (computed by the oracle, not the reference) plus the property A^T (y - A theta) = 0; step: ONNX graph in float64 (MatMul, Sub, ReduceMean, Mul)",
  hints: {
    nudge: "Treat the bias as the weight of an extra feature that is always 1. Then both functions are about A = [X, 1]: the fit solves a (D+1) x (D+1) linear system, the step needs the residual r = A theta - y.",
    formula: "Normal equations: A^T A theta = A^T y with A = [X, 1], theta = [w; b]. Loss L = (1/N) sum_i r_i^2 with r = X w + b - y; dL/dw = (2/N) X^T r, dL/db = (2/N) sum_i r_i; w <- w - lr dL/dw, b <- b - lr dL/db.",
    pseudocode: [
      "fit: M = zeros(P,P), v = zeros(P), P = D+1 (plain number arrays: float64)",
      "  for each row i: a = [X[i,:], 1]; M += a a^T; v += a * y[i]",
      "  for col: swap in the row with the largest |M[r][col]| (r >= col); eliminate below",
      "  back-substitute for theta; w = theta[0..D-1], b = theta[D]",
      "step: for each row i: r = X[i,:] . w + b - y[i]; loss += r^2; gw += r * X[i,:]; gb += r",
      "  loss /= N; w' = w - lr * (2/N) gw; b' = b - lr * (2/N) gb",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    if (c.fn === "fitNormalEquations") return fitOracle(arg<Tensor>(c, "X"), arg<Tensor>(c, "y")) as unknown as Value;
    const out = await ort.run(stepModel, {
      X: arg<Tensor>(c, "X"), y: arg<Tensor>(c, "y"), w: arg<Tensor>(c, "w"), ...feed("b", arg<number>(c, "b")), ...feed("lr", arg<number>(c, "lr")),
    });
    return { w: out.wNew!, b: out.bNew!.data[0]!, loss: out.loss!.data[0]! } as Value;
  },
  property(c, got) {
    return c.fn === "fitNormalEquations" ? residualProperty(c, got) : null;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
