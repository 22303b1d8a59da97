// 006 embedding: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { intTensor, tensor } from "../../src/core/tensor.ts";
import { Rng } from "../../src/core/rng.ts";
import type { Case, IntTensor, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

// the forward pass copies rows: compared exactly. The backward sums up to N = B*T rows per id.
const TOL_FORWARD: TolMap = { "*": { atol: 0, rtol: 0 } };
const tolBackward = (N: number): TolMap => ({ "*": { atol: Number((1e-6 + 2.5e-7 * N).toPrecision(6)), rtol: 1e-5 } });

const TO_INT64 = 7;
// oracles: forward ONNX Gather (axis 0); backward graph dE = OneHot(ids, V)^T @ dOut (float64),
// the matrix form of a scatter-add, computed without any loop of ours
const forwardModel = model("006/embedding-forward", (g) => g.output(g.op1("Gather", [g.input("E"), g.input("ids", "int32")], { axis: 0 }), "y"));
const backwardModel = model("006/embedding-backward", (g) => {
  const ids = g.op1("Cast", [g.input("ids", "int32")], { to: TO_INT64 });
  const depth = g.op1("Cast", [g.input("v", "int32")], { to: TO_INT64 }); // [1] holding V
  const onehot = g.op1("OneHot", [ids, depth, g.constant([0, 1], [2], "float32")], { axis: -1 }); // [..., V]
  const oh2 = g.op1("Reshape", [onehot, g.op1("Concat", [g.constant([-1], [1]), depth], { axis: 0 })]); // [N,V]
  const dOut = f64(g, g.input("dOut"));
  const d2 = g.op1("Reshape", [dOut, g.op1("Concat", [g.constant([-1], [1]), g.op1("Shape", [dOut], { start: -1 })], { axis: 0 })]); // [N,D]
  g.output(f32(g, g.op1("MatMul", [g.op1("Transpose", [f64(g, oh2)], { perm: [1, 0] }), d2])), "dE");
});

const X = (data: number[], shape: number[]) => tensor(data, shape);
const I = (data: number[], shape: number[]) => intTensor(data, shape);

const fwd = (name: string, ids: IntTensor, E: Tensor, expectThrows = false) => mkCase(name, "embeddingForward", { ids, E }, TOL_FORWARD, expectThrows);
const bwd = (name: string, ids: IntTensor, dOut: Tensor, V: number, expectThrows = false) =>
  mkCase(name, "embeddingBackward", { ids, dOut, V }, tolBackward(ids.data.length), expectThrows);

function fixtureCases(): Case[] {
  const E = X([0.1, 0.2, 1, -1, 0.5, 0, -2, 3], [4, 2]);
  const ids = I([1, 0, 3, 3, 3, 2], [2, 3]);
  const r = new Rng(6006);
  return [
    fwd("worked example: ids[2,3] into E[4,2], id 3 used three times", ids, E),
    fwd("one token (B = 1, T = 1): out is [1,1,D]", I([2], [1, 1]), E),
    fwd("ids 0 and V-1: both ends of the table are valid rows", I([0, 3, 0, 3], [1, 4]), E),
    fwd("E[6,3], ids[3,2]: the row of id is E.data[id*D .. id*D + D - 1]", I([5, 0, 2, 2, 4, 1], [3, 2]), r.tensor([6, 3])),
    bwd("backward worked example: id 3 at three positions sums three rows of dOut; unused id 4 gets 0", ids, X([1, 0, 0, 1, 2, -1, 0.5, 0.5, -1, 2, 3, 0], [2, 3, 2]), 5),
    bwd("backward, every position the same id: dE[id] is the sum over all B*T rows", I([2, 2, 2, 2, 2, 2, 2, 2], [2, 4]), r.tensor([2, 4, 3]), 4),
    bwd("backward, distinct ids: each dE row is one dOut row, the rest stay 0", I([4, 1, 6], [1, 3]), r.tensor([1, 3, 2]), 8),
    bwd("backward, V = 1: every id is 0", I([0, 0, 0], [3, 1]), X([1, 2, 3, -1, -2, -3], [3, 1, 2]), 1),
    fwd("id = V (one past the end) is invalid: throw an Error (reading past E gives undefined, then NaN)", I([1, 4], [1, 2]), E, true),
    fwd("id = -1 is invalid: throw an Error (NumPy indexing and ONNX Gather wrap it to the last row; JS reads undefined)", I([-1, 0], [1, 2]), E, true),
    bwd("backward with id = V is invalid: throw an Error", I([0, 3, 1], [1, 3]), X([1, 2, 3], [1, 3, 1]), 3, true),
    bwd("backward with id = -1 is invalid: throw an Error (dE[-D + d] += ... is silently dropped by a typed array)", I([0, -1, 1], [1, 3]), X([1, 2, 3], [1, 3, 1]), 3, true),
  ];
}

function randomIds(rng: Rng, shape: number[], V: number): IntTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return intTensor(Array.from({ length: n }, () => rng.int(0, V - 1)), shape);
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 2; k++) {
    const B = rng.int(1, 3), T = rng.int(1, 8), V = rng.int(2, 30), D = rng.int(1, 16);
    cases.push(fwd(`embeddingForward ids[${B},${T}] E[${V},${D}]`, randomIds(rng, [B, T], V), rng.tensor([V, D])));
  }
  for (let k = 0; k < 3; k++) {
    // a small vocabulary so that ids repeat
    const B = rng.int(1, 3), T = rng.int(1, 10), V = rng.int(2, 8), D = rng.int(1, 12);
    cases.push(bwd(`embeddingBackward ids[${B},${T}] V = ${V} D = ${D}`, randomIds(rng, [B, T], V), rng.tensor([B, T, D]), V));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write an embedding lookup (token ids -> rows of a [V,D] table) and its backward pass, the scatter-add of the upstream gradient into a [V,D] table gradient. Ids outside [0, V) are errors.",
  functions: [
    { name: "embeddingForward", signature: "embeddingForward(ids: IntTensor, E: Tensor): Tensor", doc: "ids is Int32 [B,T] with values in [0,V), E is [V,D]; out is [B,T,D], out[b,t,:] = E[ids[b,t],:]; throws an Error for an id outside [0,V)" },
    { name: "embeddingBackward", signature: "embeddingBackward(ids: IntTensor, dOut: Tensor, V: number): Tensor", doc: "ids is Int32 [B,T], dOut is [B,T,D]; dE is [V,D], dE[v] = sum of dOut[b,t] over positions with ids[b,t] = v; throws for an id outside [0,V)" },
  ],
  toleranceText: "embeddingForward: exact (rows are copied); embeddingBackward: atol 1e-6 + 2.5e-7*N (N = B*T), rtol 1e-5",
  oracleText: "forward: ONNX Gather (axis 0); backward: ONNX graph MatMul(Transpose(OneHot(ids, V)), dOut) in float64",
  hints: {
    nudge: "An embedding is a table lookup: token id v selects row v of E. In the backward pass, ask what happens to the gradient of a row that was looked up twice.",
    formula: "out[b,t,d] = E[ids[b,t], d] (E.data[id*D + d]); equivalently out = onehot(ids) @ E. Backward: dE = onehot(ids)^T @ dOut, i.e. dE[v,d] = sum over positions p with ids[p] = v of dOut[p,d]; rows never looked up get 0.",
    pseudocode: [
      "forward: [V, D] = E.shape; for p in 0..ids.length-1:",
      "  id = ids.data[p]; if (id < 0 || id >= V) throw new Error(...)",
      "  for d: out[p*D + d] = E.data[id*D + d]          shape [...ids.shape, D]",
      "backward: dE = new Float32Array(V*D)                // zeros",
      "  for p: id = ids.data[p] (check it); for d: dE[id*D + d] += dOut.data[p*D + d]",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const ids = arg<IntTensor>(c, "ids");
    if (c.fn === "embeddingForward") return (await ort.run(forwardModel, { ids, E: arg<Tensor>(c, "E") })).y!;
    return (await ort.run(backwardModel, { ids, dOut: arg<Tensor>(c, "dOut"), v: intTensor([arg<number>(c, "V")], [1]) })).dE!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
