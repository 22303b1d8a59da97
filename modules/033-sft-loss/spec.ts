// 033 sft-loss: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model, TO_DOUBLE } from "../../src/core/spec-kit.ts";
import { intTensor, tensor } from "../../src/core/tensor.ts";
import type { Graph } from "../../src/onnx/graph.ts";
import type { Case, IntTensor, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_LOSS: TolMap = { "*": { atol: 1e-5, rtol: 1e-5 } };
const TOL_BACK: TolMap = { "*": { atol: 1e-6, rtol: 1e-4 } };
const IGN = -100;

/**
 * The shift done on the labels, as Hugging Face does it: pad labels with -100 on the right and drop
 * the first, so logits[b,t] meets target labels[b,t+1] and the last position is ignored.
 * Returns [target (int32 [B,T]), counted (bool [B,T]), count (double scalar)].
 */
function shiftedTargets(g: Graph, labels: string): [string, string, string] {
  const padded = g.op1("Pad", [labels, g.constant([0, 0, 0, 1], [4]), g.constant([IGN], [], "int32")], { mode: "constant" });
  const target = g.op1("Slice", [padded, g.constant([1], [1]), g.constant([2 ** 31 - 1], [1]), g.constant([1], [1])]);
  const counted = g.op1("Not", [g.op1("Equal", [target, g.constant([IGN], [], "int32")])]);
  const count = g.op1("ReduceSum", [g.op1("Cast", [counted], { to: TO_DOUBLE })], { keepdims: 0 });
  return [target, counted, count];
}

// oracle: ONNX SoftmaxCrossEntropyLoss (ignore_index -100, mean) in float64 on [B*T, V] rows with
// shifted targets; Where(count > 0, loss, 0) turns ONNX's (and PyTorch's) 0/0 = NaN into the contract's 0
const lossModel = model("033/sft-loss", (g) => {
  const x = f64(g, g.input("logits"));
  const [target, , count] = shiftedTargets(g, g.input("labels", "int32"));
  const V = g.op1("Slice", [g.op1("Shape", [x]), g.constant([2], [1]), g.constant([3], [1])]);
  const rows = g.op1("Reshape", [x, g.op1("Concat", [g.constant([-1], [1]), V], { axis: 0 })]);
  const loss = g.op1("SoftmaxCrossEntropyLoss", [rows, g.op1("Reshape", [target, g.constant([-1], [1])])], { reduction: "mean", ignore_index: IGN });
  const safe = g.op1("Where", [g.op1("Greater", [count, g.scalar(0, "float64")]), loss, g.scalar(0, "float64")]);
  g.output(f32(g, safe), "loss");
});

// backward oracle: (Softmax(logits) - OneHot(target)) * counted / max(count, 1), in float64
const backwardModel = model("033/sft-loss-backward", (g) => {
  const x = f64(g, g.input("logits"));
  const [target, counted, count] = shiftedTargets(g, g.input("labels", "int32"));
  const p = g.op1("Softmax", [x], { axis: -1 });
  const V = g.op1("Slice", [g.op1("Shape", [x]), g.constant([2], [1]), g.constant([3], [1])]);
  const safeTarget = g.op1("Where", [counted, target, g.constant([0], [], "int32")]);
  // ORT's OneHot kernels take int64 indices and float values (0 and 1 are exact); cast the result
  const onehot = f64(g, g.op1("OneHot", [g.op1("Cast", [safeTarget], { to: 7 }), V, g.constant([0, 1], [2], "float32")], { axis: -1 }));
  const keep = g.op1("Unsqueeze", [g.op1("Cast", [counted], { to: TO_DOUBLE }), g.constant([-1], [1])]);
  const scale = g.op1("Div", [keep, g.op1("Max", [count, g.scalar(1, "float64")])]);
  g.output(f32(g, g.op1("Mul", [g.op1("Sub", [p, onehot]), scale])), "dlogits");
});

const X = (data: number[], shape: number[]) => tensor(data, shape);
const L = (data: number[], shape: number[]) => intTensor(data, shape);

function fixtureCases(): Case[] {
  // worked example: B=1, T=4, V=3; the prompt token's label is -100
  const ex = X([2, 0, -1, 0.5, 1.5, 0, -1, 0, 3, 1, 1, 1], [1, 4, 3]);
  const exLabels = L([IGN, 1, 2, 0], [1, 4]);
  const five = X([1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 0, 0, 1, 2, 2, 0, 1, 0.5, 0.5, 0.5, -1, 2, 0], [1, 6, 4]);
  const batch = X([0, 1, 2, 1, 0, -1, 2, 2, 0, 0, 0, 0, 3, -3, 0, 1, 2, 3, -1, 0, 1, 0, 2, 0, 1, 1, -2, 0, 0, 0], [2, 5, 3]);
  const batchLabels = L([IGN, IGN, IGN, 1, 2, IGN, 0, 1, 2, 0], [2, 5]);
  return [
    mkCase("worked example: logits[t] predict labels[t+1]; the prompt label -100 is skipped", "sftLoss", { logits: ex, labels: exLabels }, TOL_LOSS),
    mkCase("shift by one: labels[0] is never a target and the last position predicts nothing", "sftLoss", { logits: X([5, 0, 0, 0, 5, 0, 0, 0, 5], [1, 3, 3]), labels: L([0, 1, 2], [1, 3]) }, TOL_LOSS),
    mkCase("ignored labels in the middle: mean over the 3 counted targets, not all 5 positions", "sftLoss", { logits: five, labels: L([3, 0, IGN, 2, IGN, 1], [1, 6]) }, TOL_LOSS),
    mkCase("two sequences, 2 and 4 counted targets: one mean over all 6 counted tokens", "sftLoss", { logits: batch, labels: batchLabels }, TOL_LOSS),
    mkCase("every label ignored: loss 0 (PyTorch returns NaN)", "sftLoss", { logits: X([1, 2, 3, 4, 5, 6], [1, 2, 3]), labels: L([IGN, IGN], [1, 2]) }, TOL_LOSS),
    mkCase("T = 1: no next token to predict, loss 0", "sftLoss", { logits: X([1, -1, 0.5, 2], [2, 1, 2]), labels: L([1, 0], [2, 1]) }, TOL_LOSS),
    mkCase("large logits (+-1e4): log-sum-exp with the row max", "sftLoss", { logits: X([10000, 9990, -10000, 0, -10000, 10000, 5, 5, 5], [1, 3, 3]), labels: L([IGN, 1, 0], [1, 3]) }, TOL_LOSS),
    mkCase("backward worked example: (softmax - onehot) / count on counted rows, 0 on the last row", "sftLossBackward", { logits: ex, labels: exLabels }, TOL_BACK),
    mkCase("backward with ignored labels: their rows are 0 and the rest are divided by 3", "sftLossBackward", { logits: five, labels: L([3, 0, IGN, 2, IGN, 1], [1, 6]) }, TOL_BACK),
    mkCase("backward over two sequences: every counted row divided by the batch count 6", "sftLossBackward", { logits: batch, labels: batchLabels }, TOL_BACK),
    mkCase("backward with every label ignored: the gradient is all zeros, not NaN", "sftLossBackward", { logits: X([1, 2, 3, 4, 5, 6], [1, 2, 3]), labels: L([IGN, IGN], [1, 2]) }, TOL_BACK),
  ];
}

function randomLabels(rng: Rng, B: number, T: number, V: number): IntTensor {
  const data = new Int32Array(B * T);
  const prompt = rng.int(0, T - 1);
  for (let i = 0; i < B * T; i++) {
    const t = i % T;
    data[i] = t < prompt || rng.next() < 0.2 ? IGN : rng.int(0, V - 1);
  }
  return { data, shape: [B, T] };
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 6; k++) {
    const B = rng.int(1, 3);
    const T = rng.int(2, 9);
    const V = rng.pick([3, 8, 32, 128]);
    const scale = rng.pick([1, 3, 10]);
    const fn = k < 3 ? "sftLoss" : "sftLossBackward";
    cases.push(mkCase(`${fn} logits[${B},${T},${V}] scale ${scale}`, fn, { logits: rng.tensor([B, T, V], scale), labels: randomLabels(rng, B, T, V) }, k < 3 ? TOL_LOSS : TOL_BACK));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write the supervised fine-tuning loss of a causal LM: cross-entropy of logits[b,t] against the NEXT label labels[b,t+1], skipping labels equal to -100 (prompt and padding), averaged over the counted targets of the whole batch (0 when none is counted), and its gradient with respect to the logits.",
  functions: [
    { name: "sftLoss", signature: "sftLoss(logits: Tensor, labels: IntTensor): number", doc: "logits is [B,T,V], labels is Int32 [B,T] (-100 = ignored); returns the mean over counted targets of -log softmax(logits[b,t])[labels[b,t+1]]" },
    { name: "sftLossBackward", signature: "sftLossBackward(logits: Tensor, labels: IntTensor): Tensor", doc: "same inputs; returns dlogits [B,T,V] = (softmax - onehot) / count on counted rows, 0 elsewhere" },
  ],
  toleranceText: "sftLoss: atol 1e-5, rtol 1e-5; sftLossBackward: atol 1e-6, rtol 1e-4",
  oracleText: "ONNX SoftmaxCrossEntropyLoss (ignore_index -100, reduction mean, float64) on labels shifted with Pad + Slice, 0 when nothing is counted; backward: graph (Softmax - OneHot) * counted / count",
  hints: {
    nudge: "Loop over b and t from 0 to T-2: the target of logits[b,t] is labels[b,t+1]. Skip -100 and count what you keep; divide once at the end.",
    formula: "loss = (1/n) * sum over counted (b,t) of [logsumexp(logits[b,t]) - logits[b,t,y]] with y = labels[b,t+1] and n the number of counted targets (loss 0 if n = 0). Gradient: dlogits[b,t,v] = (softmax(logits[b,t])_v - [v = y]) / n on counted rows, 0 on ignored rows and on t = T-1.",
    pseudocode: [
      "n = number of (b, t < T-1) with labels[b,t+1] != -100",
      "if n == 0: loss = 0, dlogits = zeros",
      "for b, for t in 0..T-2: y = labels[b*T + t + 1]; if y == -100 continue",
      "  row = logits[(b*T + t)*V ...]; m = max(row); s = sum exp(row - m)",
      "  loss += m + log(s) - row[y]           grad: d[v] = (exp(row[v] - m)/s - (v == y)) / n",
      "loss /= n",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const feeds = { logits: arg<Tensor>(c, "logits"), labels: arg<IntTensor>(c, "labels") };
    if (c.fn === "sftLoss") return (await ort.run(lossModel, feeds)).loss!.data[0]!;
    return (await ort.run(backwardModel, feeds)).dlogits!;
  },
  property(c, got) {
    if (c.fn !== "sftLossBackward") return null;
    // each counted row of the gradient sums to 0 (softmax sums to 1, the onehot to 1); the last position is 0
    const t = got as Tensor;
    const [B, T, V] = t.shape as [number, number, number];
    for (let b = 0; b < B; b++) {
      for (let s = 0; s < V; s++) {
        if (t.data[(b * T + T - 1) * V + s] !== 0) return `dlogits[${b},${T - 1},${s}] is ${t.data[(b * T + T - 1) * V + s]}: the last position predicts nothing, its gradient must be 0`;
      }
      for (let r = 0; r < T; r++) {
        let sum = 0;
        for (let v = 0; v < V; v++) sum += t.data[(b * T + r) * V + v]!;
        if (Math.abs(sum) > 1e-5) return `row dlogits[${b},${r},:] sums to ${sum}, not 0 (softmax and the onehot both sum to 1)`;
      }
    }
    return null;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
