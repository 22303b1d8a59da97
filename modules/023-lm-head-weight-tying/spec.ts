// 023 LM head with weight tying: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { intTensor, tensor } from "../../src/core/tensor.ts";
import type { Case, IntTensor, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

// reductions over D (logits) and over N = B*T positions (gradient), both short here
const TOL: TolMap = { "*": { atol: 1e-5, rtol: 1e-5 } };
const EXACT: TolMap = { "*": { atol: 0, rtol: 0 } };

// oracles, float64: logits = MatMul(h, Transpose(E)); gradient = ScatterND(zeros[V,D], ids, dEmbOut, reduction add)
// (the gradient of Gather) + MatMul(Transpose(dLogits as [N,V]), h as [N,D])
const logitsModel = model("023/tied-logits", (g) => {
  const E = f64(g, g.input("E"));
  g.output(f32(g, g.op1("MatMul", [f64(g, g.input("h")), g.op1("Transpose", [E], { perm: [1, 0] })])), "y");
});
const gradModel = model("023/tied-grad", (g) => {
  const ids = g.op1("Cast", [g.input("ids", "int32")], { to: 7 }); // int64
  const dEmb = g.op1("Flatten", [f64(g, g.input("dEmbOut"))], { axis: -1 }); // [N,D]
  const h = g.op1("Flatten", [f64(g, g.input("h"))], { axis: -1 }); // [N,D]
  const dLogits = g.op1("Flatten", [f64(g, g.input("dLogits"))], { axis: -1 }); // [N,V]
  const V = g.op1("Cast", [g.input("V", "int32")], { to: 7 }); // [1]
  const shape = g.op1("Concat", [V, g.op1("Shape", [dEmb], { start: -1 })], { axis: 0 }); // [V, D]
  const zeros = f64(g, g.op1("ConstantOfShape", [shape]));
  const embPath = g.op1("ScatterND", [zeros, g.op1("Reshape", [ids, g.constant([-1, 1], [2])]), dEmb], { reduction: "add" });
  const headPath = g.op1("MatMul", [g.op1("Transpose", [dLogits], { perm: [1, 0] }), h]);
  g.output(f32(g, g.op1("Add", [embPath, headPath])), "dE");
});

const X = (data: number[], shape: number[]) => tensor(data, shape);
const I = (data: number[], shape: number[]) => intTensor(data, shape);

const logits = (name: string, h: Tensor, E: Tensor) => mkCase(name, "tiedLogits", { h, E }, TOL);
const grad = (name: string, ids: IntTensor, dEmbOut: Tensor, h: Tensor, dLogits: Tensor, V: number) =>
  mkCase(name, "tiedEmbeddingGrad", { ids, dEmbOut, h, dLogits, V }, TOL);
const count = (name: string, V: number, D: number, tied: boolean) => mkCase(name, "parameterCount", { V, D, tied }, EXACT);

function randomIds(rng: Rng, shape: number[], V: number): IntTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return intTensor(Array.from({ length: n }, () => rng.int(0, V - 1)), shape);
}

function randomGrad(rng: Rng, B: number, T: number, D: number, V: number, ids?: IntTensor) {
  return [ids ?? randomIds(rng, [B, T], V), rng.tensor([B, T, D]), rng.tensor([B, T, D]), rng.tensor([B, T, V], 0.3), V] as const;
}

function fixtureCases(): Case[] {
  const r = new Rng(23);
  return [
    logits("worked example: h [1,2,3], E [4,3] (V = 4, D = 3): logits = h E^T",
      X([1, 2, -1, 0.5, 0, 1], [1, 2, 3]),
      X([1, 0, 0, 0, 1, 0, 0.5, 0.5, 0, -1, 0, 1], [4, 3])),
    logits("E is [V,D]: logits = h E^T; V = 5 != D = 3, so reading E as [D,V] shows", r.tensor([2, 2, 3]), r.tensor([5, 3])),
    logits("B = 2, T = 3, D = 4, V = 7", r.tensor([2, 3, 4]), r.tensor([7, 4])),
    grad("gradient worked example: both paths summed, dE = scatter-add(dEmbOut by ids) + dLogits^T h",
      I([1, 3], [1, 2]),
      X([1, 0, -1, 0, 2, 0], [1, 2, 3]),
      X([1, 2, -1, 0.5, 0, 1], [1, 2, 3]),
      X([0.1, -0.2, 0.3, 0, 0, 0.5, -0.5, 0.25], [1, 2, 4]),
      4),
    grad("repeated ids accumulate: token 2 at three positions gets the sum of three gradients",
      ...randomGrad(r, 1, 5, 3, 6, I([2, 0, 2, 5, 2], [1, 5]))),
    grad("every row of E gets the head gradient, even tokens absent from ids (V = 8, ids use 2 of them)",
      ...randomGrad(r, 2, 2, 4, 8, I([1, 1, 6, 1], [2, 2]))),
    grad("B = 2, T = 3, D = 5, V = 7", ...randomGrad(r, 2, 3, 5, 7)),
    count("tied: one [V,D] matrix, V·D (GPT-2 small: 50257·768)", 50257, 768, true),
    count("untied: embedding plus a bias-free [D,V] head, 2·V·D (Llama 2 7B: 32000·4096)", 32000, 4096, false),
    count("tied, tiny: V = 4, D = 3", 4, 3, true),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 2; k++) {
    const B = rng.int(1, 3), T = rng.int(1, 5), D = rng.pick([2, 4, 8, 16]), V = rng.pick([3, 10, 32, 50]);
    cases.push(logits(`h[${B},${T},${D}] E[${V},${D}]`, rng.tensor([B, T, D]), rng.tensor([V, D], 0.5)));
  }
  for (let k = 0; k < 3; k++) {
    const B = rng.int(1, 3), T = rng.int(1, 6), D = rng.pick([2, 4, 8]), V = rng.pick([2, 5, 12, 30]);
    cases.push(grad(`ids[${B},${T}] D ${D} V ${V}`, ...randomGrad(rng, B, T, D, V)));
  }
  const V = rng.int(2, 200000), D = rng.pick([64, 512, 768, 4096]), tied = rng.next() < 0.5;
  cases.push(count(`parameterCount(${V}, ${D}, ${tied})`, V, D, tied));
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write the tied LM head: logits = h @ E^T with the embedding matrix E [V,D]; the gradient of a tied E, which sums the embedding-lookup path (scatter-add of dEmbOut by token id) and the head path (dLogits^T @ h); and the parameter count of embedding plus bias-free head, tied or untied.",
  functions: [
    { name: "tiedLogits", signature: "tiedLogits(h: Tensor, E: Tensor): Tensor", doc: "h is [B,T,D], E is [V,D]; out is [B,T,V] = h @ E^T" },
    {
      name: "tiedEmbeddingGrad",
      signature: "tiedEmbeddingGrad(ids: IntTensor, dEmbOut: Tensor, h: Tensor, dLogits: Tensor, V: number): Tensor",
      doc: "ids Int32 [B,T]; dEmbOut, h [B,T,D]; dLogits [B,T,V]; returns dE [V,D] = scatter-add(dEmbOut by ids) + dLogits^T @ h",
    },
    { name: "parameterCount", signature: "parameterCount(V: number, D: number, tied: boolean): number", doc: "embedding [V,D] + bias-free head [D,V]: V·D if tied, 2·V·D if not" },
  ],
  toleranceText: "tiedLogits, tiedEmbeddingGrad: atol 1e-5, rtol 1e-5; parameterCount: exact",
  oracleText: "ONNX MatMul with Transpose (logits); ScatterND (reduction add, the gradient of Gather) + MatMul of the transposed dLogits (gradient); float64. parameterCount: the sizes of the parameter tensors",
  hints: {
    nudge: "E is used twice in a tied model: as the lookup table at the input and as the output projection. Its gradient is the sum of the gradients of both uses.",
    formula: "logits[n,v] = sum_d h[n,d] E[v,d]. dE[v,d] = sum_{n: ids[n]=v} dEmbOut[n,d] + sum_n dLogits[n,v] h[n,d]. Parameters: V·D tied, 2·V·D untied.",
    pseudocode: [
      "logits: for n, v: out[n,v] = dot(h[n,:], E[v,:])",
      "grad: dE = zeros[V,D]",
      "  for n: dE[ids[n], :] += dEmbOut[n, :]",
      "  for n, v, d: dE[v,d] += dLogits[n,v] * h[n,d]",
      "count: tied ? V*D : 2*V*D",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    if (c.fn === "tiedLogits") return (await ort.run(logitsModel, { h: arg<Tensor>(c, "h"), E: arg<Tensor>(c, "E") })).y!;
    if (c.fn === "tiedEmbeddingGrad") {
      const feeds = {
        ids: arg<IntTensor>(c, "ids"), dEmbOut: arg<Tensor>(c, "dEmbOut"), h: arg<Tensor>(c, "h"), dLogits: arg<Tensor>(c, "dLogits"),
        V: intTensor([arg<number>(c, "V")], [1]),
      };
      return (await ort.run(gradModel, feeds)).dE!;
    }
    // parameter tensors of an embedding + bias-free LM head
    const V = arg<number>(c, "V"), D = arg<number>(c, "D"), tied = arg<boolean>(c, "tied");
    const tensors = tied ? [[V, D]] : [[V, D], [D, V]];
    return tensors.reduce((s, shape) => s + shape[0]! * shape[1]!, 0);
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
