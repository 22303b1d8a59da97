// 013 dropout: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Graph } from "../../src/onnx/graph.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL: TolMap = { "*": { atol: 1e-6, rtol: 1e-6 } };

// oracles: ONNX graphs in float64; p reaches the graph in float64 (split into two float32 inputs),
// the mode as a bool input

/** A float64 number fed through float32 inputs: hi = fround(v), lo = fround(v - hi); hi + lo = v to ~1e-15. */
function split(v: number): { hi: Tensor; lo: Tensor } {
  const hi = Math.fround(v);
  return { hi: { data: Float32Array.of(hi), shape: [] }, lo: { data: Float32Array.of(Math.fround(v - hi)), shape: [] } };
}
/** The graph side of split(): a float64 scalar from inputs <name>Hi and <name>Lo. */
const dscalar = (g: Graph, name: string) => g.op1("Add", [f64(g, g.input(`${name}Hi`)), f64(g, g.input(`${name}Lo`))]);
const feed = (name: string, v: number) => { const s = split(v); return { [`${name}Hi`]: s.hi, [`${name}Lo`]: s.lo }; };

// mask = Where(training And u < p, 0, 1); y = x * mask / Where(training, 1 - p, 1)
const forwardModel = model("013/dropout", (g) => {
  const x = f64(g, g.input("x"));
  const u = f64(g, g.input("u"));
  const pc = dscalar(g, "p");
  const train = g.input("training", "bool");
  const drop = g.op1("And", [g.op1("Less", [u, pc]), train]);
  const mask = g.op1("Where", [drop, g.scalar(0, "float64"), g.scalar(1, "float64")]);
  const keep = g.op1("Where", [train, g.op1("Sub", [g.scalar(1, "float64"), pc]), g.scalar(1, "float64")]);
  g.output(f32(g, g.op1("Div", [g.op1("Mul", [x, mask]), keep])), "y");
  g.output(f32(g, mask), "mask"); // u's shape (= x's) in both modes: And broadcasts the scalar flag
});

// dx = dy * mask / (1 - p)
const backwardModel = model("013/dropout-backward", (g) => {
  const dy = f64(g, g.input("dy"));
  const mask = f64(g, g.input("mask"));
  const keep = g.op1("Sub", [g.scalar(1, "float64"), dscalar(g, "p")]);
  g.output(f32(g, g.op1("Div", [g.op1("Mul", [dy, mask]), keep])), "dx");
});

/** Uniform draws in [0, 1) with none within 1e-6 of p (the curriculum's promise). */
function draws(rng: Rng, shape: number[], p: number): Tensor {
  const t = rng.uniform(shape);
  for (let i = 0; i < t.data.length; i++) {
    while (Math.abs(t.data[i]! - p) < 1e-6 || t.data[i]! >= 1) t.data[i] = rng.next();
  }
  return t;
}

const X = (data: number[], shape: number[]) => tensor(data, shape);
function fwd(name: string, x: Tensor, p: number, u: Tensor, training: boolean): Case {
  if (u.data.some((v) => Math.abs(v - p) < 1e-6 || v < 0 || v >= 1)) throw new Error(`013 case "${name}": a draw is within 1e-6 of p or outside [0, 1)`);
  return mkCase(name, "dropout", { x, p, u, training }, TOL);
}
const mask = (x: Tensor, p: number, u: Tensor) => reference.dropout(x, p, u, true).mask;

function fixtureCases(): Case[] {
  const x6 = X([1, -2, 3, 0.5, -0.25, 4], [2, 3]);
  const u6 = X([0.9, 0.1, 0.6, 0.3, 0.75, 0.45], [2, 3]);
  const x8 = X([2, -1, 0.5, 3, -4, 1.5, 0.25, -0.75], [8]);
  const u8 = X([0.05, 0.95, 0.3, 0.6, 0.15, 0.85, 0.5, 0.2], [8]);
  return [
    fwd("worked example: p = 0.5 keeps u >= 0.5 and doubles the kept values", x6, 0.5, u6, true),
    fwd("p = 0 keeps everything: y = x, mask all ones", x6, 0, u6, true),
    fwd("eval mode is the identity: y = x and the mask is all ones (u and p are ignored)", x6, 0.5, u6, false),
    fwd("p = 0.25: kept values scaled by 1/(1-p) = 1.3333", x8, 0.25, u8, true),
    fwd("p = 0.9 keeps about a tenth, each scaled by 10", x8, 0.9, X([0.95, 0.1, 0.5, 0.99, 0.2, 0.91, 0.3, 0.05], [8]), true),
    fwd("3-D input [2,2,3], p = 0.3", X([1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6], [2, 2, 3]), 0.3,
      X([0.1, 0.5, 0.9, 0.29, 0.31, 0.7, 0.05, 0.45, 0.2, 0.8, 0.35, 0.25], [2, 2, 3]), true),
    mkCase("backward worked example: dx = dy * mask / (1 - p)", "dropoutBackward", { dy: X([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [2, 3]), mask: mask(x6, 0.5, u6), p: 0.5 }, TOL),
    mkCase("backward: dropped elements get exactly 0 gradient, kept ones 1/(1-p) = 1.3333", "dropoutBackward",
      { dy: X([1, 1, -1, 2, 0.5, -3, 1, 1], [8]), mask: mask(x8, 0.25, u8), p: 0.25 }, TOL),
    mkCase("backward with p = 0: dx = dy", "dropoutBackward", { dy: X([0.3, -0.7, 1.1], [3]), mask: X([1, 1, 1], [3]), p: 0 }, TOL),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const shape = () => {
    const rank = rng.int(1, 3);
    return Array.from({ length: rank }, () => rng.int(1, 9));
  };
  const ps = [0, 0.1, 0.2, 0.25, 0.5, 0.75, 0.9];
  for (let k = 0; k < 4; k++) {
    const s = shape(), p = rng.pick(ps), training = k < 3;
    cases.push(fwd(`dropout x[${s}] p ${p} ${training ? "training" : "eval"}`, rng.tensor(s, 2), p, draws(rng, s, p), training));
  }
  for (let k = 0; k < 2; k++) {
    const s = shape(), p = rng.pick(ps);
    const m = mask(rng.tensor(s), p, draws(rng, s, p));
    cases.push(mkCase(`dropoutBackward dy[${s}] p ${p}`, "dropoutBackward", { dy: rng.tensor(s, 2), mask: m, p }, TOL));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write inverted dropout: keep each element where its uniform draw u >= p, scale the kept values by 1/(1-p), return the output and the 0/1 mask; in eval mode the output is the input and the mask all ones. Then the backward pass from the mask.",
  functions: [
    { name: "dropout", signature: "dropout(x: Tensor, p: number, u: Tensor, training: boolean): { y: Tensor; mask: Tensor }", doc: "x, u are [...] (u uniform in [0, 1)); y = x * mask / (1 - p), mask[i] = u[i] >= p ? 1 : 0; eval: y = x, mask all ones" },
    { name: "dropoutBackward", signature: "dropoutBackward(dy: Tensor, mask: Tensor, p: number): Tensor", doc: "dy, mask are [...]; returns dx = dy * mask / (1 - p), [...]" },
  ],
  toleranceText: "dropout (y and mask) and dropoutBackward: atol 1e-6, rtol 1e-6",
  oracleText: "ONNX graph in float64: Less, And, Where for the mask, Mul and Div for the scale; backward Mul, Div",
  hints: {
    nudge: "Randomness is an argument: u[i] is element i's draw. Decide keep/drop by comparing it with p, then ask what the expected value of the output is and fix it with a scale.",
    formula: "mask_i = 1 if u_i >= p else 0; y_i = x_i * mask_i / (1 - p), so E[y_i] = x_i. Eval: y = x, mask = 1. Backward: dx_i = dy_i * mask_i / (1 - p).",
    pseudocode: [
      "if !training: y = copy of x; mask = ones; return",
      "scale = 1 / (1 - p)",
      "for i: mask[i] = u[i] >= p ? 1 : 0; y[i] = x[i] * mask[i] * scale",
      "backward: for i: dx[i] = dy[i] * mask[i] / (1 - p)",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    if (c.fn === "dropout") {
      const training = { data: Uint8Array.of(arg<boolean>(c, "training") ? 1 : 0), shape: [] };
      const out = await ort.run(forwardModel, { x: arg<Tensor>(c, "x"), u: arg<Tensor>(c, "u"), training, ...feed("p", arg<number>(c, "p")) });
      return { y: out.y!, mask: out.mask! } as { y: Tensor; mask: Tensor };
    }
    return (await ort.run(backwardModel, { dy: arg<Tensor>(c, "dy"), mask: arg<Tensor>(c, "mask"), ...feed("p", arg<number>(c, "p")) })).dx!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
