// 011 mse-loss: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_LOSS: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };
const TOL_BACK: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };

// forward: ReduceMean((pred - target)^2) over every axis, in float64
const lossModel = model("011/mse", (g) => {
  const d = g.op1("Sub", [f64(g, g.input("pred")), f64(g, g.input("target"))]);
  g.output(f32(g, g.op1("ReduceMean", [g.op1("Mul", [d, d])], { keepdims: 0 })), "loss");
});

// backward: 2 (pred - target) / Size(pred), in float64
const backwardModel = model("011/mse-backward", (g) => {
  const pred = g.input("pred");
  const d = g.op1("Sub", [f64(g, pred), f64(g, g.input("target"))]);
  const n = g.op1("Cast", [g.op1("Size", [pred])], { to: 11 });
  g.output(f32(g, g.op1("Div", [g.op1("Mul", [g.scalar(2, "float64"), d]), n])), "dpred");
});

const X = (data: number[], shape: number[] = [data.length]) => tensor(data, shape);
const fwd = (name: string, pred: Tensor, target: Tensor) => mkCase(name, "mseLoss", { pred, target }, TOL_LOSS);
const bwd = (name: string, pred: Tensor, target: Tensor) => mkCase(name, "mseLossBackward", { pred, target }, TOL_BACK);

const WP = () => X([2.5, 0, 2, 8]);
const WT = () => X([3, -0.5, 2, 7]);
const MP = () => X([1, 2, 3, 4, 5, 6], [2, 3]);
const MT = () => X([1.5, 2, 1, 4, 7, 5], [2, 3]);

function fixtureCases(): Case[] {
  return [
    fwd("worked example: four predictions", WP(), WT()),
    fwd("[2,3] input: the mean is over all 6 elements, not the 2 rows", MP(), MT()),
    fwd("[2,2,2] input: every element counts once", X([0, 1, 2, 3, -1, -2, -3, 0.5], [2, 2, 2]), X([0.5, 1, 2, 2, -1, 0, -3, 0], [2, 2, 2])),
    fwd("prediction equals target: the loss is exactly 0", X([0.1, -7, 3]), X([0.1, -7, 3])),
    fwd("one element [1]", X([3], [1]), X([-1], [1])),
    fwd("large errors (|pred - target| = 2000): squared errors of 4e6 stay exact in float64", X([1000, -1000, 0]), X([-1000, 1000, 1])),
    bwd("backward worked example: 2 (pred - target) / n", WP(), WT()),
    bwd("backward on [2,3]: divided by all 6 elements", MP(), MT()),
    bwd("backward on one element [1]: 2 (pred - target)", X([3], [1]), X([-1], [1])),
  ];
}

function randomShape(rng: Rng): number[] {
  const rank = rng.int(1, 3);
  return Array.from({ length: rank }, (_, i) => (i === rank - 1 ? rng.pick([1, 3, 8, 17, 64]) : rng.int(1, 5)));
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 6; k++) {
    const fn = k < 3 ? "mseLoss" : "mseLossBackward";
    const shape = randomShape(rng);
    const scale = rng.pick([0.1, 1, 10]);
    const pred = rng.tensor(shape, scale);
    const target = rng.tensor(shape, scale);
    cases.push((k < 3 ? fwd : bwd)(`${fn} [${shape}] scale ${scale}`, pred, target));
  }
  return cases;
}

const spec: ModuleBody = {
  summary: "Write the mean squared error between a prediction and a target of any shape, the mean over every element, and its gradient with respect to the prediction.",
  functions: [
    { name: "mseLoss", signature: "mseLoss(pred: Tensor, target: Tensor): number", doc: "pred, target are [...] with the same shape (n elements); returns (1/n) sum (pred - target)^2" },
    { name: "mseLossBackward", signature: "mseLossBackward(pred: Tensor, target: Tensor): Tensor", doc: "pred, target are [...]; returns dpred [...] = 2 (pred - target) / n" },
  ],
  toleranceText: "mseLoss: atol 1e-6, rtol 1e-5; mseLossBackward: atol 1e-6, rtol 1e-5",
  oracleText: "ONNX graph in float64: Sub, Mul, ReduceMean over every axis; backward: 2 * (pred - target) / Size(pred)",
  hints: {
    nudge: "The shape does not matter: loop over data.length elements. Count what you divide by.",
    formula: "L = (1/n) sum_i (p_i - t_i)^2 over all n elements. dL/dp_i = (1/n) * 2 (p_i - t_i).",
    pseudocode: [
      "n = pred.data.length; s = 0",
      "for i: d = pred[i] - target[i]; s += d * d",
      "return s / n",
      "backward: dpred[i] = 2 * (pred[i] - target[i]) / n; shape = [...pred.shape]",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const feeds = { pred: arg<Tensor>(c, "pred"), target: arg<Tensor>(c, "target") };
    if (c.fn === "mseLoss") return (await ort.run(lossModel, feeds)).loss!.data[0]!;
    return (await ort.run(backwardModel, feeds)).dpred!;
  },
  property(c, got) {
    if (c.fn === "mseLoss" && (got as number) < 0) return `the loss is ${got}: a mean of squares is never negative`;
    return null;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
