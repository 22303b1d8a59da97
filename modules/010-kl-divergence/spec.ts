// 010 kl-divergence: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model, rowsOf } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_KL: TolMap = { "*": { atol: 1e-5, rtol: 1e-5 } };
const TOL_BACK: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };

// forward: mean over rows of sum_j p_j (log p_j - log q_j), terms with p_j = 0 set to 0, all in float64
const klModel = model("010/kl", (g) => {
  const lp = g.op1("LogSoftmax", [f64(g, g.input("pLogits"))], { axis: -1 });
  const lq = g.op1("LogSoftmax", [f64(g, g.input("qLogits"))], { axis: -1 });
  const p = g.op1("Exp", [lp]);
  const terms = g.op1("Mul", [p, g.op1("Sub", [lp, lq])]);
  const safe = g.op1("Where", [g.op1("Greater", [p, g.scalar(0, "float64")]), terms, g.scalar(0, "float64")]);
  const perRow = g.op1("ReduceSum", [safe, g.constant([-1], [1])], { keepdims: 0 });
  g.output(f32(g, g.op1("ReduceMean", [perRow], { keepdims: 0 })), "kl");
});

// backward: (softmax(qLogits) - softmax(pLogits)) / N in float64
const backwardModel = model("010/kl-backward", (g) => {
  const pl = g.input("pLogits");
  const p = g.op1("Exp", [g.op1("LogSoftmax", [f64(g, pl)], { axis: -1 })]);
  const q = g.op1("Exp", [g.op1("LogSoftmax", [f64(g, g.input("qLogits"))], { axis: -1 })]);
  const n = g.op1("Cast", [g.op1("Gather", [g.op1("Shape", [pl]), g.scalar(0, "int64")], { axis: 0 })], { to: 11 });
  g.output(f32(g, g.op1("Div", [g.op1("Sub", [q, p]), n])), "dq");
});

const L = (data: number[], shape: number[]) => tensor(data, shape);
const NEG = -Infinity;
const fwd = (name: string, pLogits: Tensor, qLogits: Tensor) => mkCase(name, "klDivergence", { pLogits, qLogits }, TOL_KL);
const bwd = (name: string, pLogits: Tensor, qLogits: Tensor) => mkCase(name, "klDivergenceBackward", { pLogits, qLogits }, TOL_BACK);

const WP = () => L([2, 1, 0, 0, 1, 0], [2, 3]);
const WQ = () => L([0, 0, 0, 1, 0, -1], [2, 3]);
const LP = () => L([10000, 9999, 9998, -10000, -9999, -9998], [2, 3]);
const LQ = () => L([-10000, -9998, -9999, 9998, 9999, 10000], [2, 3]);
const ZP = () => L([0, NEG, 1, 2, NEG, NEG], [2, 3]);
const ZQ = () => L([0, 0, 0, 1, 2, 3], [2, 3]);

function fixtureCases(): Case[] {
  return [
    fwd("worked example: KL(P||Q) over two rows of three classes", WP(), WQ()),
    fwd("direction matters: P peaked, Q flat gives KL(P||Q) != KL(Q||P)", L([4, 0, 0, 0], [1, 4]), L([0, 0, 0, 0], [1, 4])),
    fwd("zero-probability terms: p_j = 0 (a -Infinity logit) contributes 0, not 0 * -Infinity = NaN", ZP(), ZQ()),
    fwd("p_j = q_j = 0 at the same class: still contributes 0", L([0, NEG, 0], [1, 3]), L([1, NEG, 0], [1, 3])),
    fwd("q = exp(-1000) where p = 0.5: KL is about 500, log of a stored probability gives Infinity", L([0, 0], [1, 2]), L([0, -1000], [1, 2])),
    fwd("logits shifted by a constant are the same distribution: KL = 0", L([1, 2, 3, -1, 0, 5], [2, 3]), L([11, 12, 13, 99, 100, 105], [2, 3])),
    fwd("large logits (+-1e4): subtract the row max in the log-sum-exp", LP(), LQ()),
    bwd("backward worked example: (Q - P) / N", WP(), WQ()),
    bwd("backward with p_j = 0: the gradient there is q_j / N", ZP(), ZQ()),
    bwd("backward with large logits (+-1e4)", LP(), LQ()),
    bwd("backward over N = 3 rows: divided by N", L([1, 2, 0, 0, 0, 0, -1, 3, 2, 1, 0, 0], [3, 4]), L([0, 1, 0, 2, 1, 1, 1, 1, -2, 0, 2, 0], [3, 4])),
  ];
}

function randomPair(rng: Rng): { p: Tensor; q: Tensor; label: string } {
  const n = rng.int(1, 6);
  const v = rng.pick([2, 5, 10, 50]);
  const scale = rng.pick([1, 3]);
  const p = rng.tensor([n, v], scale);
  const masked = rng.next() < 0.4;
  if (masked) {
    // some classes impossible under P (-Infinity logits); every row keeps its first class
    for (let i = 0; i < p.data.length; i++) if (i % v !== 0 && rng.next() < 0.25) p.data[i] = -Infinity;
  }
  return { p, q: rng.tensor([n, v], scale), label: `[${n},${v}] scale ${scale}${masked ? ", P with -Infinity logits" : ""}` };
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 3; k++) {
    const { p, q, label } = randomPair(rng);
    cases.push(fwd(`klDivergence ${label}`, p, q));
  }
  for (let k = 0; k < 3; k++) {
    const { p, q, label } = randomPair(rng);
    cases.push(bwd(`klDivergenceBackward ${label}`, p, q));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write KL(P||Q), the mean over rows of sum_j p_j (log p_j - log q_j) for P = softmax(pLogits) and Q = softmax(qLogits), stable for any logits and with 0 log 0 = 0, and its gradient with respect to qLogits.",
  functions: [
    { name: "klDivergence", signature: "klDivergence(pLogits: Tensor, qLogits: Tensor): number", doc: "pLogits, qLogits are [N,V]; returns the mean over rows of KL(P||Q); -Infinity logits in P are classes with p = 0" },
    { name: "klDivergenceBackward", signature: "klDivergenceBackward(pLogits: Tensor, qLogits: Tensor): Tensor", doc: "pLogits, qLogits are [N,V]; returns dq = d KL / d qLogits, [N,V] = (Q - P) / N" },
  ],
  toleranceText: "klDivergence: atol 1e-5, rtol 1e-5; klDivergenceBackward: atol 1e-6, rtol 1e-5",
  oracleText: "ONNX graph in float64: LogSoftmax, Exp, Mul, Where (p = 0 terms are 0), ReduceSum, ReduceMean; backward: (Exp(LogSoftmax(q)) - Exp(LogSoftmax(p))) / N",
  hints: {
    nudge: "Work in log space: log p_j = pLogits_j - logsumexp(pLogits row). P is the weighting distribution (the target); Q is the model whose logits get the gradient.",
    formula: "KL_n = sum_j p_j (log p_j - log q_j), skipping p_j = 0; KL = (1/N) sum_n KL_n. With log q_j = z_j - logsumexp(z): d KL_n / d z_k = -p_k + q_k sum_j p_j = q_k - p_k, so dq = (Q - P) / N.",
    pseudocode: [
      "for each row r: lseP = logsumexp(pLogits row), lseQ = logsumexp(qLogits row)   // max taken out",
      "  for j: lp = pLogits[r,j] - lseP; p = exp(lp); if p == 0 continue",
      "         total += p * (lp - (qLogits[r,j] - lseQ))",
      "return total / N",
      "backward: dq[r,j] = (exp(qLogits[r,j] - lseQ) - exp(pLogits[r,j] - lseP)) / N",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const feeds = { pLogits: arg<Tensor>(c, "pLogits"), qLogits: arg<Tensor>(c, "qLogits") };
    if (c.fn === "klDivergence") return (await ort.run(klModel, feeds)).kl!.data[0]!;
    return (await ort.run(backwardModel, feeds)).dq!;
  },
  property(c, got) {
    if (c.fn === "klDivergence") return (got as number) < -1e-6 ? `KL(P||Q) = ${got} is negative; KL is never below 0 (Gibbs' inequality)` : null;
    // each row of Q - P sums to 0
    const t = got as Tensor;
    const { rows, n } = rowsOf(t.shape);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += t.data[r * n + j]!;
      if (Math.abs(s) > 1e-6) return `row ${r} of dq sums to ${s}, not 0: Q and P both sum to 1`;
    }
    return null;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
