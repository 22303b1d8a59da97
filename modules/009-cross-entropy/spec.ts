// 009 cross-entropy: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model, rowsOf } from "../../src/core/spec-kit.ts";
import { intTensor, tensor } from "../../src/core/tensor.ts";
import type { Case, IntTensor, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_LOSS: TolMap = { "*": { atol: 1e-5, rtol: 1e-5 } };
const TOL_BACK: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };

// forward: ONNX SoftmaxCrossEntropyLoss (reduction mean) in float64
const lossModel = model("009/cross-entropy", (g) => {
  const loss = g.op1("SoftmaxCrossEntropyLoss", [f64(g, g.input("logits")), g.input("targets", "int32")], { reduction: "mean" });
  g.output(f32(g, loss), "loss");
});

// backward: the same op's log-probabilities output, (exp(log_prob) - onehot(targets)) / N, in float64
const backwardModel = model("009/cross-entropy-backward", (g) => {
  const logits = g.input("logits");
  const targets = g.input("targets", "int32");
  const [, logProb] = g.op("SoftmaxCrossEntropyLoss", [f64(g, logits), targets], { reduction: "mean" }, 2);
  const shape = g.op1("Shape", [logits]);
  const n = g.op1("Gather", [shape, g.scalar(0, "int64")], { axis: 0 });
  const v = g.op1("Gather", [shape, g.scalar(1, "int64")], { axis: 0 });
  const classes = g.op1("Range", [g.scalar(0, "int64"), v, g.scalar(1, "int64")]);
  const t = g.op1("Unsqueeze", [g.op1("Cast", [targets], { to: 7 }), g.constant([1], [1])]);
  const onehot = g.op1("Cast", [g.op1("Equal", [classes, t])], { to: 11 });
  const d = g.op1("Div", [g.op1("Sub", [g.op1("Exp", [logProb!]), onehot]), g.op1("Cast", [n], { to: 11 })]);
  g.output(f32(g, d), "dlogits");
});

const L = (data: number[], shape: number[]) => tensor(data, shape);
const T = (data: number[]) => intTensor(data, [data.length]);
const fwd = (name: string, logits: Tensor, targets: IntTensor) => mkCase(name, "crossEntropy", { logits, targets }, TOL_LOSS);
const bwd = (name: string, logits: Tensor, targets: IntTensor) => mkCase(name, "crossEntropyBackward", { logits, targets }, TOL_BACK);

const WORKED = () => L([2, 1, 0.1, 0.5, 2.5, -1], [2, 3]);
const LARGE = () => L([10000, 9999, 9998, -10000, -9999, -9998], [2, 3]);

function fixtureCases(): Case[] {
  return [
    fwd("worked example: two rows of three logits", WORKED(), T([0, 1])),
    fwd("large logits (+-1e4): log-sum-exp must subtract the row max", LARGE(), T([1, 2])),
    fwd("target logit 1000 below the max: the loss is 1000, -log(softmax) gives log(0) = Infinity", L([500, -500, 0], [1, 3]), T([1])),
    fwd("uniform logits: the loss is log V", L(new Array(10).fill(-2), [2, 5]), T([3, 0])),
    fwd("confident and right: the loss is near 0", L([12, 0, 0, 0], [1, 4]), T([0])),
    fwd("one class (V = 1): the loss is 0", L([3, -7], [2, 1]), T([0, 0])),
    fwd("mean over N = 4 rows, targets at the first and last class", L([1, 0, -1, 3, 0.5, 0.5, -2, 2, 0, 1, 2, 3], [4, 3]), T([0, 2, 1, 2])),
    bwd("backward worked example: (softmax - onehot) / N", WORKED(), T([0, 1])),
    bwd("backward with large logits (+-1e4): the softmax must subtract the row max", LARGE(), T([1, 2])),
    bwd("backward with one class (V = 1): the gradient is 0", L([3, -7], [2, 1]), T([0, 0])),
    bwd("backward over N = 4 rows: every row is divided by N", L([1, 0, -1, 3, 0.5, 0.5, -2, 2, 0, 1, 2, 3], [4, 3]), T([0, 2, 1, 2])),
  ];
}

function randomCase(rng: Rng): { logits: Tensor; targets: IntTensor; label: string } {
  const n = rng.int(1, 8);
  const v = rng.pick([2, 5, 10, 50, 100]);
  const scale = rng.pick([1, 3, 10]);
  const targets = intTensor(Array.from({ length: n }, () => rng.int(0, v - 1)), [n]);
  return { logits: rng.tensor([n, v], scale), targets, label: `logits[${n},${v}] scale ${scale}` };
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 3; k++) {
    const { logits, targets, label } = randomCase(rng);
    cases.push(fwd(`crossEntropy ${label}`, logits, targets));
  }
  for (let k = 0; k < 3; k++) {
    const { logits, targets, label } = randomCase(rng);
    cases.push(bwd(`crossEntropyBackward ${label}`, logits, targets));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write the mean cross-entropy loss of [N,V] logits against Int32 class targets, stable for logits of any size, and its gradient with respect to the logits.",
  functions: [
    { name: "crossEntropy", signature: "crossEntropy(logits: Tensor, targets: IntTensor): number", doc: "logits is [N,V], targets is Int32 [N] (each in [0, V)); returns the mean over rows of logsumexp(row) - row[target]" },
    { name: "crossEntropyBackward", signature: "crossEntropyBackward(logits: Tensor, targets: IntTensor): Tensor", doc: "logits [N,V], targets [N]; returns dlogits [N,V] = (softmax(logits) - onehot(targets)) / N" },
  ],
  toleranceText: "crossEntropy: atol 1e-5, rtol 1e-5; crossEntropyBackward: atol 1e-6, rtol 1e-5",
  oracleText: "ONNX SoftmaxCrossEntropyLoss (reduction mean, float64); backward: its log_prob output, (exp(log_prob) - onehot) / N, in float64",
  hints: {
    nudge: "Loop over the N rows (row r starts at r * V). The loss of one row is -log of the target's softmax probability: write it without ever forming that probability.",
    formula: "loss = (1/N) sum_n [ m_n + log(sum_j exp(x_nj - m_n)) - x_n,t_n ] with m_n the row max. d loss / d x_nj = (softmax(x_n)_j - [j = t_n]) / N.",
    pseudocode: [
      "total = 0",
      "for r in 0..N-1: row = r * V",
      "  m = max_j logits[row + j]; s = sum_j exp(logits[row + j] - m)",
      "  total += m + log(s) - logits[row + targets[r]]",
      "return total / N",
      "backward: d[row + j] = (exp(logits[row + j] - m) / s - (j == targets[r] ? 1 : 0)) / N",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const feeds = { logits: arg<Tensor>(c, "logits"), targets: arg<IntTensor>(c, "targets") };
    if (c.fn === "crossEntropy") return (await ort.run(lossModel, feeds)).loss!.data[0]!;
    return (await ort.run(backwardModel, feeds)).dlogits!;
  },
  property(c, got) {
    if (c.fn !== "crossEntropyBackward") return null;
    // each row of softmax - onehot sums to 0
    const t = got as Tensor;
    const { rows, n } = rowsOf(t.shape);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += t.data[r * n + j]!;
      if (Math.abs(s) > 1e-6) return `row ${r} of dlogits sums to ${s}, not 0: softmax sums to 1 and the one-hot to 1`;
    }
    return null;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
