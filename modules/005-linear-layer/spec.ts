// 005 linear-layer: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import { Rng } from "../../src/core/rng.ts";
import type { Case, ModuleBody, Tensor, Tol, TolMap } from "../../src/core/types.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

/** A float32 sum of K products drifts with K: atol = 1e-6 + 2.5e-7 * K (curriculum "Tolerances that matter"). */
const tolK = (K: number): Tol => ({ atol: Number((1e-6 + 2.5e-7 * K).toPrecision(6)), rtol: 1e-5 });
const rows = (x: Tensor, nIn: number) => x.data.length / nIn;
/** forward reduces over in; dx over out; dW and db over the N rows. */
const tolForward = (nIn: number): TolMap => ({ "*": tolK(nIn) });
const tolBackward = (nIn: number, nOut: number, N: number): TolMap => ({ "*": tolK(Math.max(nOut, N)), dx: tolK(nOut), dW: tolK(N), db: tolK(N) });

// oracles (float64): forward MatMul + Add; backward graph dx = dy @ W^T, dW = x2^T @ dy2, db = ReduceSum(dy2, 0)
const flat2d = (g: import("../../src/onnx/graph.ts").Graph, v: string) =>
  g.op1("Reshape", [v, g.op1("Concat", [g.constant([-1], [1]), g.op1("Shape", [v], { start: -1 })], { axis: 0 })]);
const forwardModel = model("005/linear-forward", (g) => {
  const y = g.op1("Add", [g.op1("MatMul", [f64(g, g.input("x")), f64(g, g.input("W"))]), f64(g, g.input("b"))]);
  g.output(f32(g, y), "y");
});
const backwardModel = model("005/linear-backward", (g) => {
  const x = f64(g, g.input("x"));
  const W = f64(g, g.input("W"));
  const dy = f64(g, g.input("dy"));
  const dy2 = flat2d(g, dy);
  g.output(f32(g, g.op1("MatMul", [dy, g.op1("Transpose", [W], { perm: [1, 0] })])), "dx");
  g.output(f32(g, g.op1("MatMul", [g.op1("Transpose", [flat2d(g, x)], { perm: [1, 0] }), dy2])), "dW");
  g.output(f32(g, g.op1("ReduceSum", [dy2, g.constant([0], [1])], { keepdims: 0 })), "db");
});

const X = (data: number[], shape: number[]) => tensor(data, shape);

function fwd(name: string, x: Tensor, W: Tensor, b: Tensor): Case {
  return mkCase(name, "linearForward", { x, W, b }, tolForward(W.shape[0]!));
}
function bwd(name: string, x: Tensor, W: Tensor, dy: Tensor): Case {
  return mkCase(name, "linearBackward", { x, W, dy }, tolBackward(W.shape[0]!, W.shape[1]!, rows(x, W.shape[0]!)));
}

function fixtureCases(): Case[] {
  const x = X([1, 2, 3, 0, -1, 0.5], [2, 3]);
  const W = X([0.5, -1, 1, 0, -2, 1], [3, 2]);
  const r = new Rng(5005);
  return [
    fwd("worked example: x[2,3] @ W[3,2] + b[2]", x, W, X([0.5, -1], [2])),
    fwd("3-D input x[2,2,3]: every token is a row, out is [2,2,2]", X([1, 0, -1, 2, 0.5, 0, 0, 0, 1, -1, 3, 2], [2, 2, 3]), W, X([0.5, -1], [2])),
    fwd("1-D input x[3]: a single row, out is [2]", X([1, -1, 2], [3]), W, X([0, 0.25], [2])),
    fwd("in = 2, out = 3: W is [in,out] = [2,3], not PyTorch's [out,in] = [3,2]", X([2, -1, 0.5, 1, 0, 3], [3, 2]), X([1, -2, 0.5, 3, 0, -1], [2, 3]), X([0, 1, -1], [3])),
    bwd("backward worked example: x[2,3], W[3,2], dy[2,2]", x, W, X([1, 0, 0.5, -1], [2, 2])),
    bwd("backward, one row: dW is the outer product x^T dy, db = dy", X([1, 2, -1], [1, 3]), W, X([2, -0.5], [1, 2])),
    bwd("backward, in = out = 3: dy^T @ x has the right shape and transposed values", X([1, 2, 3, -1, 0, 2], [2, 3]), X([1, 0, 2, 0, 1, 0, -1, 1, 1], [3, 3]), X([1, -1, 0.5, 2, 0, 1], [2, 3])),
    bwd("backward with a 3-D x[2,3,2]: dW and db sum over all B*T = 6 tokens", r.tensor([2, 3, 2]), r.tensor([2, 4]), r.tensor([2, 3, 4])),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const lead = () => Array.from({ length: rng.int(0, 2) }, () => rng.int(1, 5));
  for (let n = 0; n < 2; n++) {
    const L = lead(), nIn = rng.pick([1, 3, 8, 16, 32]), nOut = rng.pick([1, 2, 5, 16]);
    cases.push(fwd(`linearForward x[${[...L, nIn]}] W[${nIn},${nOut}]`, rng.tensor([...L, nIn]), rng.tensor([nIn, nOut], 0.5), rng.tensor([nOut])));
  }
  for (let n = 0; n < 3; n++) {
    const L = [rng.int(1, 4), ...(rng.next() < 0.5 ? [rng.int(1, 5)] : [])];
    const nIn = rng.pick([1, 3, 8, 16]), nOut = rng.pick([1, 4, 7, 16]);
    cases.push(bwd(`linearBackward x[${[...L, nIn]}] W[${nIn},${nOut}]`, rng.tensor([...L, nIn]), rng.tensor([nIn, nOut], 0.5), rng.tensor([...L, nOut])));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write a linear (fully connected) layer y = x @ W + b for x of any rank (every leading axis is a row; W is [in,out]) and its backward pass: the gradients dx, dW and db from the upstream gradient dy.",
  functions: [
    { name: "linearForward", signature: "linearForward(x: Tensor, W: Tensor, b: Tensor): Tensor", doc: "x is [..., in], W is [in,out], b is [out]; y is [..., out] = x @ W + b" },
    { name: "linearBackward", signature: "linearBackward(x: Tensor, W: Tensor, dy: Tensor): { dx: Tensor; dW: Tensor; db: Tensor }", doc: "x is [..., in], W is [in,out], dy is [..., out]; dx is [..., in], dW is [in,out], db is [out] (sums over all N = numel(x)/in rows)" },
  ],
  toleranceText: "rtol 1e-5 and atol 1e-6 + 2.5e-7*K, K the length of each sum: in for y, out for dx, N = numel(x)/in rows for dW and db",
  oracleText: "forward: ONNX MatMul + Add; backward: ONNX graph MatMul(dy, Transpose(W)), MatMul(Transpose(x as [N,in]), dy as [N,out]), ReduceSum(dy, axis 0); all float64",
  hints: {
    nudge: "View x as N = x.data.length / in rows of in features, whatever its rank. Each gradient has the shape of the thing it is the gradient of.",
    formula: "y[r,j] = b[j] + sum_i x[r,i] W[i,j]. Backward (chain rule, one term per use of each value): dx[r,i] = sum_j dy[r,j] W[i,j] (dy @ W^T); dW[i,j] = sum_r x[r,i] dy[r,j] (x^T @ dy); db[j] = sum_r dy[r,j].",
    pseudocode: [
      "[in, out] = W.shape; N = x.data.length / in",
      "forward: for r, j: s = b[j]; for i: s += x[r*in + i] * W[i*out + j]; y[r*out + j] = s",
      "  shape: [...x.shape without its last axis, out]",
      "dx: for r, i: dx[r*in + i] = sum_j dy[r*out + j] * W[i*out + j]      shape of x",
      "dW: for i, j: dW[i*out + j] = sum_r x[r*in + i] * dy[r*out + j]       shape [in, out]",
      "db: for j:    db[j] = sum_r dy[r*out + j]                             shape [out]",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const x = arg<Tensor>(c, "x"), W = arg<Tensor>(c, "W");
    if (c.fn === "linearForward") return (await ort.run(forwardModel, { x, W, b: arg<Tensor>(c, "b") })).y!;
    const o = await ort.run(backwardModel, { x, W, dy: arg<Tensor>(c, "dy") });
    return { dx: o.dx!, dW: o.dW!, db: o.db! } as { dx: Tensor; dW: Tensor; db: Tensor };
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
