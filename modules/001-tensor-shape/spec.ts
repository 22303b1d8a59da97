// 001 tensor-shape: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { intTensor, tensor } from "../../src/core/tensor.ts";
import type { Rng } from "../../src/core/rng.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

// moving data copies floats bit for bit: compared exactly; the bias add is one float32 addition
const TOL_EXACT: TolMap = { "*": { atol: 0, rtol: 0 } };
const TOL_ADD: TolMap = { "*": { atol: 1e-7, rtol: 1e-6 } };

// oracles: ONNX Reshape / Transpose / Add
const flattenModel = model("001/flatten", (g) => {
  const x = g.input("x");
  const shape = g.op1("Concat", [g.constant([-1], [1]), g.op1("Shape", [x], { start: -1 })], { axis: 0 });
  g.output(g.op1("Reshape", [x, shape]), "y");
});
const splitModel = model("001/split-heads", (g) => {
  const x = g.input("x");
  const h = g.op1("Cast", [g.input("h", "int32")], { to: 7 }); // int64
  const shape = g.op1("Concat", [g.op1("Shape", [x], { start: 0, end: 2 }), h, g.constant([-1], [1])], { axis: 0 });
  g.output(g.op1("Transpose", [g.op1("Reshape", [x, shape])], { perm: [0, 2, 1, 3] }), "y");
});
const mergeModel = model("001/merge-heads", (g) => {
  const t = g.op1("Transpose", [g.input("x")], { perm: [0, 2, 1, 3] });
  g.output(g.op1("Reshape", [t, g.constant([0, 0, -1], [3])]), "y");
});
const addModel = model("001/add-bias", (g) => g.output(f32(g, g.op1("Add", [f64(g, g.input("x")), f64(g, g.input("b"))])), "y"));

const X = (data: number[], shape: number[]) => tensor(data, shape);
/** x[b,t,d] = 100*(b+1) + 10*(t+1) + (d+1) for small shapes: every value names its position. */
const labelled = (B: number, T: number, D: number) => {
  const data: number[] = [];
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) data.push((B > 1 ? 100 * (b + 1) : 0) + 10 * (t + 1) + d + 1);
  return X(data, [B, T, D]);
};

const split = (name: string, x: Tensor, H: number, expectThrows = false) => mkCase(name, "splitHeads", { x, H }, TOL_EXACT, expectThrows);

function fixtureCases(): Case[] {
  return [
    split("worked example: split [1,2,4] into H = 2 heads of Dh = 2", labelled(1, 2, 4), 2),
    mkCase("flattenBatchTime: [2,3,2] -> [6,2], rows keep their order", "flattenBatchTime", { x: labelled(2, 3, 2) }, TOL_EXACT),
    split("split [2,3,6] into H = 3: head h of token t is features h*Dh .. h*Dh+Dh-1, then swap T and H", labelled(2, 3, 6), 3),
    split("T = 1: here a plain reshape happens to be right, so one-token tests hide a missing transpose", labelled(2, 1, 6), 2),
    split("H = 1: one head of width D, shape [B,1,T,D]", labelled(1, 3, 4), 1),
    split("Dh = 1 (H = D): every feature is its own head", labelled(1, 3, 3), 3),
    mkCase("mergeHeads worked example: [1,2,2,2] back to [1,2,4]", "mergeHeads", { x: X([11, 12, 21, 22, 13, 14, 23, 24], [1, 2, 2, 2]) }, TOL_EXACT),
    mkCase("mergeHeads [2,3,2,2]: swap H and T back before merging the last two axes", "mergeHeads", { x: X(Array.from({ length: 24 }, (_, i) => i + 1), [2, 3, 2, 2]) }, TOL_EXACT),
    mkCase("addBias [2,3] + b[3]: b is added to every row", "addBias", { x: X([1, 2, 3, 4, 5, 6], [2, 3]), b: X([0.5, -1, 10], [3]) }, TOL_ADD),
    mkCase("addBias [2,2,3] + b[3]: broadcast over every leading axis", "addBias", { x: X(Array.from({ length: 12 }, (_, i) => i * 0.25), [2, 2, 3]), b: X([-1, 0, 1], [3]) }, TOL_ADD),
    mkCase("addBias on a 1-D x[4]: a single row", "addBias", { x: X([1, 2, 3, 4], [4]), b: X([0.1, 0.2, 0.3, 0.4], [4]) }, TOL_ADD),
    split("D = 6 is not divisible by H = 4: splitHeads must throw an Error", labelled(1, 2, 6), 4, true),
    split("D = 5 is not divisible by H = 2: splitHeads must throw an Error", labelled(1, 1, 5), 2, true),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  {
    const B = rng.int(1, 3), T = rng.int(1, 6), D = rng.int(1, 8);
    cases.push(mkCase(`flattenBatchTime [${B},${T},${D}]`, "flattenBatchTime", { x: rng.tensor([B, T, D]) }, TOL_EXACT));
  }
  for (let n = 0; n < 2; n++) {
    const B = rng.int(1, 3), T = rng.int(2, 6), H = rng.int(1, 4), Dh = rng.int(1, 8);
    cases.push(split(`splitHeads [${B},${T},${H * Dh}] H = ${H}`, rng.tensor([B, T, H * Dh]), H));
  }
  {
    const B = rng.int(1, 3), H = rng.int(1, 4), T = rng.int(2, 6), Dh = rng.int(1, 8);
    cases.push(mkCase(`mergeHeads [${B},${H},${T},${Dh}]`, "mergeHeads", { x: rng.tensor([B, H, T, Dh]) }, TOL_EXACT));
  }
  {
    const lead = Array.from({ length: rng.int(0, 3) }, () => rng.int(1, 4));
    const D = rng.int(1, 16);
    cases.push(mkCase(`addBias [${[...lead, D]}] + b[${D}]`, "addBias", { x: rng.tensor([...lead, D]), b: rng.tensor([D]) }, TOL_ADD));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Move data between the layouts attention needs: flatten [B,T,D] to [B*T,D], split the width D into H heads ([B,T,D] -> [B,H,T,Dh], a reshape AND a transpose), merge them back, and add a bias broadcast over every row. Reject a width that does not split evenly.",
  functions: [
    { name: "flattenBatchTime", signature: "flattenBatchTime(x: Tensor): Tensor", doc: "x is [B,T,D]; out is [B*T,D]" },
    { name: "splitHeads", signature: "splitHeads(x: Tensor, H: number): Tensor", doc: "x is [B,T,D]; out is [B,H,T,Dh] with Dh = D/H, out[b,h,t,j] = x[b,t,h*Dh + j]; throws an Error when D % H != 0" },
    { name: "mergeHeads", signature: "mergeHeads(x: Tensor): Tensor", doc: "x is [B,H,T,Dh]; out is [B,T,H*Dh], the inverse of splitHeads" },
    { name: "addBias", signature: "addBias(x: Tensor, b: Tensor): Tensor", doc: "x is [..., D], b is [D]; out is [..., D], b added to every row" },
  ],
  toleranceText: "flattenBatchTime, splitHeads, mergeHeads: exact (data is moved, not computed); addBias: atol 1e-7, rtol 1e-6",
  oracleText: "ONNX Reshape, Transpose (perm [0,2,1,3]) and Add (float64)",
  hints: {
    nudge: "Write the index map first: which x[b,t,d] lands in out[b,h,t,j]? Then turn both N-d indices into flat row-major offsets.",
    formula: "Dh = D/H (throw if D % H != 0). splitHeads: out[b,h,t,j] = x[b,t,h*Dh + j], i.e. reshape [B,T,D] -> [B,T,H,Dh] then transpose to [B,H,T,Dh]. Flat offsets: x at (b*T + t)*D + h*Dh + j, out at ((b*H + h)*T + t)*Dh + j. mergeHeads is the same map read the other way. addBias: out[i] = x[i] + b[i % D].",
    pseudocode: [
      "splitHeads(x, H): [B,T,D] = x.shape; if D % H != 0: throw new Error(...)",
      "  Dh = D / H; out = new Float32Array(B*T*D)",
      "  for b, h, t, j: out[((b*H + h)*T + t)*Dh + j] = x.data[(b*T + t)*D + h*Dh + j]",
      "  return { data: out, shape: [B, H, T, Dh] }",
      "mergeHeads: same loops, assignment reversed, shape [B, T, H*Dh]",
      "flattenBatchTime: copy the data, shape [B*T, D]",
      "addBias: for i in 0..numel-1: out[i] = x.data[i] + b.data[i % D]",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const x = arg<Tensor>(c, "x");
    if (c.fn === "flattenBatchTime") return (await ort.run(flattenModel, { x })).y!;
    if (c.fn === "splitHeads") return (await ort.run(splitModel, { x, h: intTensor([arg<number>(c, "H")], [1]) })).y!;
    if (c.fn === "mergeHeads") return (await ort.run(mergeModel, { x })).y!;
    return (await ort.run(addModel, { x, b: arg<Tensor>(c, "b") })).y!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
