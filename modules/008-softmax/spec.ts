// 008 softmax: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model, rowsOf } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_SOFTMAX: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };
const TOL_LOG: TolMap = { "*": { atol: 1e-5, rtol: 1e-5 } };
const TOL_BACK: TolMap = { "*": { atol: 1e-6, rtol: 1e-4 } };

// oracles: ONNX Softmax / LogSoftmax over the last axis, computed in float64; backward as a graph
const softmaxModel = model("008/softmax", (g) => g.output(f32(g, g.op1("Softmax", [f64(g, g.input("x"))], { axis: -1 })), "y"));
const logSoftmaxModel = model("008/logsoftmax", (g) => g.output(f32(g, g.op1("LogSoftmax", [f64(g, g.input("x"))], { axis: -1 })), "y"));
const backwardModel = model("008/softmax-backward", (g) => {
  const y = f64(g, g.input("y"));
  const dy = f64(g, g.input("dy"));
  const dot = g.op1("ReduceSum", [g.op1("Mul", [y, dy]), g.constant([-1], [1])], { keepdims: 1 });
  g.output(f32(g, g.op1("Mul", [y, g.op1("Sub", [dy, dot])])), "dx");
});

/** A valid softmax output to feed the backward pass (float64 math, float32 storage). */
function probs(x: Tensor): Tensor {
  return reference.softmax(x);
}

const X = (data: number[], shape: number[]) => tensor(data, shape);
const NEG = -Infinity;

function fixtureCases(): Case[] {
  return [
    mkCase("worked example: two rows of three logits", "softmax", { x: X([1, 2, 3, 1, 1, 1], [2, 3]) }, TOL_SOFTMAX),
    mkCase("large logits (+-1e4): subtract the row max before exp", "softmax", { x: X([10000, 9999, 9998, -10000, -9999, -9998], [2, 3]) }, TOL_SOFTMAX),
    mkCase("-Infinity logits (masked) get probability exactly 0", "softmax", { x: X([0, NEG, 1, NEG, NEG, 2, 0, NEG], [2, 4]) }, TOL_SOFTMAX),
    mkCase("one logit: probability 1", "softmax", { x: X([42], [1, 1]) }, TOL_SOFTMAX),
    mkCase("equal logits: uniform", "softmax", { x: X(new Array(5).fill(-3.5), [1, 5]) }, TOL_SOFTMAX),
    mkCase("4-D input [4,1,2,3]: softmax over the last axis only (8 rows of 3; no other axis is 3 long)", "softmax", { x: X([1, 2, 3, 3, 2, 1, 0, 0, 0, -1, 0, 1, 5, 5, 0, 2, -2, 0, 0.5, -0.5, 1.5, 4, -4, 0], [4, 1, 2, 3]) }, TOL_SOFTMAX),
    mkCase("1-D input: one row", "softmax", { x: X([0.5, -0.5, 2], [3]) }, TOL_SOFTMAX),
    mkCase("log-softmax worked example", "logSoftmax", { x: X([1, 2, 3, 1, 1, 1], [2, 3]) }, TOL_LOG),
    mkCase("log-softmax of spread logits: log-sum-exp, not log(softmax) (exp(-170) is 0 in float32)", "logSoftmax", { x: X([0, -120, 50, 1, 2, 3], [2, 3]) }, TOL_LOG),
    mkCase("log-softmax of a logit 1000 below the max: log(softmax) is log(0) = -Infinity even in float64, log-sum-exp gives -1000", "logSoftmax", { x: X([0, -1000, -1, 1e4, -1e4, 9999], [2, 3]) }, TOL_LOG),
    mkCase("log-softmax of large logits (1e4): subtract the max inside log-sum-exp", "logSoftmax", { x: X([10000, 9999, 9998], [1, 3]) }, TOL_LOG),
    mkCase("log-softmax of a -Infinity logit is -Infinity", "logSoftmax", { x: X([0, NEG, 1], [1, 3]) }, TOL_LOG),
    mkCase("softmax backward worked example", "softmaxBackward", { y: probs(X([1, 2, 3], [1, 3])), dy: X([1, 0, -1], [1, 3]) }, TOL_BACK),
    mkCase("softmax backward: a constant upstream gradient gives dx = 0", "softmaxBackward", { y: probs(X([0.3, -1, 2, 0], [1, 4])), dy: X([2, 2, 2, 2], [1, 4]) }, TOL_BACK),
    mkCase("softmax backward on [2,2,3]", "softmaxBackward", { y: probs(X([1, 0, -1, 2, 2, 2, 0.5, 0.1, 3, -2, 1, 0], [2, 2, 3])), dy: X([0.1, -0.2, 0.3, 1, 0, 0, -1, 2, 0.5, 0, 0, 1], [2, 2, 3]) }, TOL_BACK),
  ];
}

function randomShape(rng: Rng): number[] {
  const rank = rng.int(1, 4);
  const shape = Array.from({ length: rank - 1 }, () => rng.int(1, 4));
  shape.push(rng.pick([1, 2, 7, 16, 33, 64, 100]));
  return shape;
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 3; k++) {
    const shape = randomShape(rng);
    const scale = rng.pick([1, 4, 30]);
    cases.push(mkCase(`softmax x[${shape}] scale ${scale}`, "softmax", { x: rng.tensor(shape, scale) }, TOL_SOFTMAX));
  }
  for (let k = 0; k < 2; k++) {
    const shape = randomShape(rng);
    const scale = rng.pick([1, 10, 60]);
    cases.push(mkCase(`logSoftmax x[${shape}] scale ${scale}`, "logSoftmax", { x: rng.tensor(shape, scale) }, TOL_LOG));
  }
  for (let k = 0; k < 2; k++) {
    const shape = randomShape(rng);
    cases.push(mkCase(`softmaxBackward y,dy[${shape}]`, "softmaxBackward", { y: probs(rng.tensor(shape, 3)), dy: rng.tensor(shape) }, TOL_BACK));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write softmax and log-softmax over the last axis of a tensor of any rank, stable for logits of any size, and the softmax backward pass (vector-Jacobian product) given the softmax output.",
  functions: [
    { name: "softmax", signature: "softmax(x: Tensor): Tensor", doc: "x is [..., N]; out is [..., N], each row over the last axis sums to 1" },
    { name: "logSoftmax", signature: "logSoftmax(x: Tensor): Tensor", doc: "x is [..., N]; out = x - logsumexp(x) over the last axis" },
    { name: "softmaxBackward", signature: "softmaxBackward(y: Tensor, dy: Tensor): Tensor", doc: "y = softmax(x) and dy are [..., N]; returns dx, [..., N]" },
  ],
  toleranceText: "softmax: atol 1e-6, rtol 1e-5; logSoftmax: atol 1e-5, rtol 1e-5; softmaxBackward: atol 1e-6, rtol 1e-4",
  oracleText: "ONNX Softmax and LogSoftmax (axis -1, float64); backward: graph y * (dy - ReduceSum(y * dy))",
  hints: {
    nudge: "Work one row of the last axis at a time (rows = data.length / N). Before you exponentiate, ask what exp(1000) is in JavaScript.",
    formula: "softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m) with m = max_j x_j (any m gives the same answer; the max keeps exp <= 1). log-softmax_i = x_i - m - log(sum_j exp(x_j - m)). Backward: dx_i = y_i * (dy_i - sum_j y_j dy_j).",
    pseudocode: [
      "for each row r (offset r*N):",
      "  m = -Infinity; for i: m = max(m, x[r*N+i])",
      "  s = 0; for i: e[i] = exp(x[r*N+i] - m); s += e[i]",
      "  softmax: out[i] = e[i] / s        logSoftmax: out[i] = x[i] - m - log(s)",
      "backward, per row: dot = sum_j y[j]*dy[j]; dx[i] = y[i] * (dy[i] - dot)",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    if (c.fn === "softmax") return (await ort.run(softmaxModel, { x: arg<Tensor>(c, "x") })).y!;
    if (c.fn === "logSoftmax") return (await ort.run(logSoftmaxModel, { x: arg<Tensor>(c, "x") })).y!;
    return (await ort.run(backwardModel, { y: arg<Tensor>(c, "y"), dy: arg<Tensor>(c, "dy") })).dx!;
  },
  property(c, got) {
    if (c.fn !== "softmax" && c.fn !== "logSoftmax") return null;
    const t = got as Tensor;
    // a -Infinity logit (a masked position) gives exactly 0 (softmax) or exactly -Infinity (logSoftmax),
    // not merely something within the tolerance
    const x = arg<Tensor>(c, "x");
    const want = c.fn === "softmax" ? 0 : -Infinity;
    for (let i = 0; i < x.data.length; i++) {
      if (x.data[i] === -Infinity && t.data[i] !== want) return `x[${i}] (flat index) is -Infinity, so ${c.fn} must give exactly ${want} there (exp(-Infinity - m) = 0); got ${t.data[i]}`;
    }
    if (c.fn !== "softmax") return null;
    const { rows, n } = rowsOf(t.shape);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += t.data[r * n + i]!;
      if (Math.abs(s - 1) > 1e-5 * Math.max(1, n / 10)) return `row ${r} of the softmax sums to ${s}, not 1`;
    }
    return null;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
