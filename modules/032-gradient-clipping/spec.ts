// 032 gradient clipping by global norm: cases, oracle, hints and known mistakes.
import { arg, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap, Value } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { scalar64, split64 } from "../028-greedy-temperature-sampling/sampling-oracle.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

// float64 math stored as float32; atol small enough to see the + 1e-6 on gradients of norm 0.002
const TOL: TolMap = { grads: { atol: 1e-9, rtol: 1e-6 }, totalNorm: { atol: 1e-9, rtol: 1e-6 } };

// oracle: ONNX ReduceL2 over every gradient element (flattened into one vector), coef = maxNorm / (total + 1e-6),
// Min(coef, 1), Mul; in float64. The norm comes back as a float32 [hi, lo] pair so it keeps float64 precision.
const clipModel = model("032/clip-grad-norm", (g) => {
  const x = f64(g, g.input("g"));
  const total = g.op1("ReduceL2", [x], { keepdims: 0 });
  const coef = g.op1("Div", [scalar64(g, "maxNorm"), g.op1("Add", [total, g.scalar(1e-6, "float64")])]);
  const scale = g.op1("Min", [coef, g.scalar(1, "float64")]);
  g.output(g.op1("Cast", [g.op1("Mul", [x, scale])], { to: 1 }), "y");
  const hi = g.op1("Cast", [total], { to: 1 });
  const lo = g.op1("Cast", [g.op1("Sub", [total, g.op1("Cast", [hi], { to: 11 })])], { to: 1 });
  g.output(hi, "normHi");
  g.output(lo, "normLo");
});

const X = (data: number[], shape = [data.length]) => tensor(data, shape);

function fixtureCases(): Case[] {
  return [
    mkCase("worked example: two tensors of total norm 5 clipped to maxNorm 1", "clipGradNorm", { grads: [X([1, 2]), X([2, 4], [2, 1])], maxNorm: 1 }, TOL),
    mkCase("one global norm over all tensors, not one per tensor (norms 5 and 1, maxNorm 2)", "clipGradNorm", { grads: [X([3, 4]), X([0.6, 0.8])], maxNorm: 2 }, TOL),
    mkCase("norm below the limit (0.5 < 1): gradients returned unchanged, never scaled up", "clipGradNorm", { grads: [X([0.3, 0]), X([0, -0.4], [1, 2])], maxNorm: 1 }, TOL),
    mkCase("tiny gradients (norm 0.002, maxNorm 0.001): the + 1e-6 in coef = maxNorm / (total + 1e-6) shows", "clipGradNorm", { grads: [X([0.0012, -0.0016])], maxNorm: 0.001 }, TOL),
    mkCase("an all-zero gradient stays zero (the 1e-6 avoids 0 / 0)", "clipGradNorm", { grads: [X([0, 0, 0]), X([0], [1, 1])], maxNorm: 1 }, TOL),
    mkCase("three tensors of different ranks, large values (global norm 1376.6), maxNorm 5", "clipGradNorm", {
      grads: [X([100, -200, 300, 0, 50, -50], [2, 3]), X([1000]), X([-500, 600, 0, 0, 100, 200, 0, -300], [2, 2, 2])], maxNorm: 5 }, TOL),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let n = 0; n < 5; n++) {
    const count = rng.int(1, 4);
    const scale = rng.pick([0.01, 0.3, 1, 10]);
    const grads = Array.from({ length: count }, () => rng.tensor(rng.pick([[3], [16], [2, 5], [4, 8], [2, 3, 4], [64]]), scale));
    const maxNorm = rng.pick([0.1, 0.5, 1, 5, 100]);
    cases.push(mkCase(`clipGradNorm ${count} tensor${count > 1 ? "s" : ""} [${grads.map((g) => `[${g.shape}]`).join(", ")}] scale ${scale} maxNorm ${maxNorm}`, "clipGradNorm", { grads, maxNorm }, TOL));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Clip a list of gradient tensors by their global L2 norm, as torch.nn.utils.clip_grad_norm_ does: total = sqrt(sum of every squared element), coef = maxNorm / (total + 1e-6), scale every tensor by coef only when coef < 1; return new tensors and the norm before clipping.",
  functions: [
    {
      name: "clipGradNorm",
      signature: "clipGradNorm(grads: Tensor[], maxNorm: number): { grads: Tensor[]; totalNorm: number }",
      doc: "grads[k] is [...] (any shapes); returns tensors of the same shapes and totalNorm, the global norm before clipping",
    },
  ],
  toleranceText: "grads and totalNorm: atol 1e-9, rtol 1e-6",
  oracleText: "an ONNX graph: ReduceL2 over all gradient elements, Div, Min(coef, 1), Mul (float64)",
  hints: {
    nudge: "One pass over every tensor for the sum of squares, one square root, one coefficient, then one pass to scale. Which tensors share the coefficient?",
    formula: "total = sqrt(sum_k sum_i g_k[i]^2); coef = maxNorm / (total + 1e-6); g_k <- g_k * min(coef, 1). Return total (before clipping).",
    pseudocode: [
      "s = 0; for each g in grads: for i: s += g[i]*g[i]",
      "total = sqrt(s); coef = maxNorm / (total + 1e-6); scale = coef < 1 ? coef : 1",
      "out = grads.map(g => new tensor with g[i] * scale, same shape)",
      "return { grads: out, totalNorm: total }",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const grads = arg<Tensor[] & Value>(c, "grads");
    const flat = new Float32Array(grads.reduce((a, g) => a + g.data.length, 0));
    let off = 0;
    for (const g of grads) {
      flat.set(g.data, off);
      off += g.data.length;
    }
    const out = await ort.run(clipModel, { g: { data: flat, shape: [flat.length] }, maxNorm: split64(arg<number>(c, "maxNorm")) });
    const y = out.y!.data as Float32Array;
    off = 0;
    const clipped = grads.map((g) => {
      const data = y.slice(off, off + g.data.length);
      off += g.data.length;
      return { data, shape: [...g.shape] };
    });
    return { grads: clipped, totalNorm: out.normHi!.data[0]! + out.normLo!.data[0]! };
  },
  property(c, got) {
    const maxNorm = arg<number>(c, "maxNorm");
    const gs = (got as { grads: Tensor[] }).grads;
    let s = 0;
    for (const g of gs) for (const x of g.data) s += x * x;
    const n = Math.sqrt(s);
    return n > maxNorm * (1 + 1e-5) + 1e-9 ? `the clipped gradients have global norm ${n}, above maxNorm ${maxNorm}` : null;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
