// 035 gradient-accumulation: cases, oracle (the reference), properties, hints and known mistakes.
import { arg, mkCase } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_GRAD: TolMap = { "*": { atol: 1e-5, rtol: 1e-5 } };
const TOL_TRAIN: TolMap = { "*": { atol: 1e-5, rtol: 1e-4 } };
// properties compare with float64 full-batch math; the learner stores float32
const PROP_ATOL = 1e-4;
const PROP_RTOL = 1e-4;

const X = (data: number[], shape: number[]) => tensor(data, shape);

/** The full-batch MSE gradient (2/n) X^T (X w - y) over rows [r0, r0 + n), in float64, with no micro-batches. */
function fullBatchGradient(Xt: Tensor, y: Tensor, w: ArrayLike<number>, r0: number, n: number): Float64Array {
  const D = w.length;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let p = 0;
    for (let j = 0; j < D; j++) p += Xt.data[(r0 + i) * D + j]! * w[j]!;
    r[i] = p - y.data[r0 + i]!;
  }
  const g = new Float64Array(D);
  for (let j = 0; j < D; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Xt.data[(r0 + i) * D + j]! * r[i]!;
    g[j] = (2 / n) * s;
  }
  return g;
}

/** Plain SGD with batches of B rows taken in order (no accumulation): the trajectory accumulation must follow. */
function fullBatchRun(Xt: Tensor, y: Tensor, w: Tensor, B: number, lr: number, steps: number): Float64Array {
  const cur = Float64Array.from(w.data);
  const batches = Xt.shape[0]! / B;
  for (let s = 0; s < steps; s++) {
    const g = fullBatchGradient(Xt, y, cur, (s % batches) * B, B);
    for (let j = 0; j < cur.length; j++) cur[j] -= lr * g[j]!;
  }
  return cur;
}

function differs(got: Tensor, want: Float64Array, what: string): string | null {
  for (let j = 0; j < want.length; j++) {
    const g = got.data[j]!, e = want[j]!;
    if (!(Math.abs(g - e) <= PROP_ATOL + PROP_RTOL * Math.abs(e))) return `${what}: out[${j}] = ${g}, but the computation without micro-batches gives ${e}`;
  }
  return null;
}

function fixtureCases(): Case[] {
  const X4 = X([1, 2, 0, 1, 2, 0, 1, -1], [4, 2]);
  const y4 = X([1, 2, 0, 3], [4]);
  const w2 = X([0.5, -0.5], [2]);
  const X6 = X([1, 0, 2, -1, 1, 0, 0.5, 2, -1, 1, 1, 1, 0, -2, 1, 2, 0, 0.5], [6, 3]);
  const y6 = X([1, 0, -1, 2, 0.5, 1], [6]);
  const w3 = X([0.1, -0.2, 0.3], [3]);
  const X8 = X([1, 0, 0, 1, 1, 1, -1, 2, 2, -1, 0.5, 0.5, -1, -1, 3, 0], [8, 2]);
  const y8 = X([1, -1, 0, 2, 1, 0, -2, 3], [8]);
  return [
    mkCase("worked example: 2 micro-batches of 2 rows, each mean gradient divided by 2", "accumulatedGradient", { X: X4, y: y4, w: w2, microBatch: 2, accumSteps: 2 }, TOL_GRAD),
    mkCase("accumSteps = 1: the plain full-batch gradient", "accumulatedGradient", { X: X4, y: y4, w: w2, microBatch: 4, accumSteps: 1 }, TOL_GRAD),
    mkCase("microBatch = 1: six one-row micro-batches, each divided by 6", "accumulatedGradient", { X: X6, y: y6, w: w3, microBatch: 1, accumSteps: 6 }, TOL_GRAD),
    mkCase("3 micro-batches of 2 rows: divide each by accumSteps = 3", "accumulatedGradient", { X: X6, y: y6, w: w3, microBatch: 2, accumSteps: 3 }, TOL_GRAD),
    mkCase("training worked example: 2 steps, each over 2 micro-batches of 2 rows (one update per 4 rows)", "trainWithAccumulation", { X: X4, y: y4, w: w2, microBatch: 2, accumSteps: 2, lr: 0.1, steps: 2 }, TOL_TRAIN),
    mkCase("3 steps on the same batch: reset the accumulated gradient after every step", "trainWithAccumulation", { X: X6, y: y6, w: w3, microBatch: 3, accumSteps: 2, lr: 0.05, steps: 3 }, TOL_TRAIN),
    mkCase("two effective batches of 4 rows: step s uses batch s mod 2", "trainWithAccumulation", { X: X8, y: y8, w: w2, microBatch: 2, accumSteps: 2, lr: 0.05, steps: 4 }, TOL_TRAIN),
    mkCase("steps = 0: w comes back unchanged (as a new tensor)", "trainWithAccumulation", { X: X4, y: y4, w: w2, microBatch: 1, accumSteps: 4, lr: 0.1, steps: 0 }, TOL_TRAIN),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 6; k++) {
    const D = rng.int(1, 6);
    const M = rng.int(1, 4);
    const A = rng.int(1, 4);
    const train = k >= 3;
    const batches = train ? rng.int(1, 3) : 1;
    const N = M * A * batches;
    const Xt = rng.tensor([N, D], 0.5);
    const y = rng.tensor([N], 1);
    const w = rng.tensor([D], 0.5);
    if (!train) {
      cases.push(mkCase(`accumulatedGradient X[${N},${D}] microBatch ${M} accumSteps ${A}`, "accumulatedGradient", { X: Xt, y, w, microBatch: M, accumSteps: A }, TOL_GRAD));
    } else {
      const lr = rng.pick([0.01, 0.05, 0.1]);
      const steps = rng.int(1, 6);
      cases.push(mkCase(`trainWithAccumulation X[${N},${D}] microBatch ${M} accumSteps ${A} lr ${lr} steps ${steps}`, "trainWithAccumulation", { X: Xt, y, w, microBatch: M, accumSteps: A, lr, steps }, TOL_TRAIN));
    }
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write gradient accumulation for the linear model y = X w with mean-squared-error loss: the gradient over an effective batch of microBatch * accumSteps rows computed one micro-batch at a time (it must equal the full-batch gradient), and an SGD loop that makes one optimizer step per accumSteps micro-batches.",
  functions: [
    { name: "accumulatedGradient", signature: "accumulatedGradient(X: Tensor, y: Tensor, w: Tensor, microBatch: number, accumSteps: number): Tensor", doc: "X is [N,D] with N = microBatch * accumSteps, y is [N], w is [D]; returns the gradient of mean((Xw - y)^2), [D], summed over micro-batches" },
    { name: "trainWithAccumulation", signature: "trainWithAccumulation(X: Tensor, y: Tensor, w: Tensor, microBatch: number, accumSteps: number, lr: number, steps: number): Tensor", doc: "X is [N,D] with N a multiple of microBatch * accumSteps; step s uses the rows of effective batch s mod (N / (microBatch * accumSteps)); returns w [D] after `steps` SGD steps" },
  ],
  toleranceText: "accumulatedGradient: atol 1e-5, rtol 1e-5; trainWithAccumulation: atol 1e-5, rtol 1e-4",
  oracleText: "the reference, plus properties with no micro-batches: the accumulated gradient equals the full-batch gradient (2/N) X^T (Xw - y), and training follows plain SGD with batches of microBatch * accumSteps rows",
  hints: {
    nudge: "Each micro-batch loss is a mean over its own M rows. What do you have to multiply it by so that the sum over A micro-batches is the mean over all M*A rows?",
    formula: "grad of mean((Xw - y)^2) over rows R is (2/|R|) * sum_{r in R} (x_r . w - y_r) x_r. With A equal micro-batches of M rows: full-batch grad = sum_k (1/A) * grad_k. Training: acc = 0; for k in 0..A-1: acc += grad_k / A; w -= lr * acc; repeat, resetting acc each step.",
    pseudocode: [
      "accumulatedGradient: acc = zeros(D)",
      "  for k in 0..A-1: for r in micro-batch k (rows k*M .. k*M+M-1):",
      "    e = dot(X[r], w) - y[r];  acc[j] += (1/A) * (2/M) * e * X[r][j]",
      "train: w = copy(w); batches = N / (M*A)",
      "  for s in 0..steps-1: start = (s % batches) * M * A; acc = zeros(D)",
      "    for k in 0..A-1: acc += (1/A) * microGrad(rows start + k*M .., w)",
      "    w -= lr * acc      (one step per A micro-batches)",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c) {
    const args = c.args.map((a) => a.value);
    const f = (reference as Record<string, (...a: unknown[]) => Tensor>)[c.fn]!;
    return f(...args);
  },
  property(c, got) {
    const Xt = arg<Tensor>(c, "X"), y = arg<Tensor>(c, "y"), w = arg<Tensor>(c, "w");
    const M = arg<number>(c, "microBatch"), A = arg<number>(c, "accumSteps");
    if (c.fn === "accumulatedGradient") {
      return differs(got as Tensor, fullBatchGradient(Xt, y, w.data, 0, Xt.shape[0]!), "the accumulated gradient is not the full-batch gradient");
    }
    const want = fullBatchRun(Xt, y, w, M * A, arg<number>(c, "lr"), arg<number>(c, "steps"));
    return differs(got as Tensor, want, "training with accumulation does not follow plain SGD on batches of microBatch * accumSteps rows");
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
