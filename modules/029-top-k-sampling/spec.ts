// 029 top-k sampling: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { argMax, idOf, int1, int64In, inverseCdf, safeU, scalar64, softmax64, split64, topKKeep } from "../028-greedy-temperature-sampling/sampling-oracle.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_ID: TolMap = { "*": { atol: 0, rtol: 0 } };
// kept logits are copies of the input and the rest is -Infinity: exact
const TOL_FILTER: TolMap = { "*": { atol: 0, rtol: 0 } };

// oracles: ONNX TopK (k clamped to V by Min) scattered back into -Infinity; sampling adds Softmax and CumSum
const filterModel = model("029/top-k-filter", (g) => {
  g.output(f32(g, topKKeep(g, f64(g, g.input("x")), int64In(g, "k"))), "y");
});
const sampleModel = model("029/sample-top-k", (g) => {
  const x = g.op1("Div", [f64(g, g.input("x")), scalar64(g, "tau")]);
  const probs = g.op1("Softmax", [topKKeep(g, x, int64In(g, "k"))], { axis: -1 });
  g.output(inverseCdf(g, probs, scalar64(g, "u")), "id", "int64");
});
const greedyModel = model("029/greedy", (g) => g.output(argMax(g, g.input("x")), "id", "int64"));

const X = (data: number[]) => tensor(data, [data.length]);
const NEG = -Infinity;

function fixtureCases(): Case[] {
  const ex = X([1.5, -0.3, 2.2, 0.8, 0.1]);
  const five = X([2, 1, 0.5, -1, 0]);
  return [
    mkCase("worked example: keep the top 3 of 5 logits", "topKFilter", { logits: ex, k: 3 }, TOL_FILTER),
    mkCase("k = 1 keeps only the max", "topKFilter", { logits: ex, k: 1 }, TOL_FILTER),
    mkCase("ties at the k-th value: keep exactly k, the lower index (torch.topk, ONNX TopK)", "topKFilter", { logits: X([1, 3, 2, 2, 0]), k: 2 }, TOL_FILTER),
    mkCase("k = V keeps every token", "topKFilter", { logits: ex, k: 5 }, TOL_FILTER),
    mkCase("k > V (k = 10, V = 4) keeps every token: clamp k to V", "topKFilter", { logits: X([0.2, -1, 0.7, 0.3]), k: 10 }, TOL_FILTER),
    mkCase("masked (-Infinity) logits stay -Infinity", "topKFilter", { logits: X([NEG, 1, NEG, 0, -2]), k: 2 }, TOL_FILTER),
    mkCase("sampleTopK worked example: top 3, tau 1, u = 0.6", "sampleTopK", { logits: ex, k: 3, tau: 1, u: 0.6 }, TOL_ID),
    mkCase("softmax after the filter renormalises over the k kept tokens (u = 0.6)", "sampleTopK", { logits: five, k: 2, tau: 1, u: 0.6 }, TOL_ID),
    mkCase("temperature 0.5 divides the logits before the draw", "sampleTopK", { logits: five, k: 3, tau: 0.5, u: 0.8 }, TOL_ID),
    mkCase("k = 1 equals greedy for any u (tied maxima: the lowest index)", "sampleTopK", { logits: X([0.5, 2, -1, 2]), k: 1, tau: 0.8, u: 0.9 }, TOL_ID),
    mkCase("k >= V is plain temperature sampling", "sampleTopK", { logits: five, k: 50, tau: 0.7, u: 0.95 }, TOL_ID),
    mkCase("tau = 0 is greedy, whatever k and u", "sampleTopK", { logits: X([0.3, -0.2, 1.7, 1.1]), k: 3, tau: 0, u: 0.7 }, TOL_ID),
    mkCase("u near 0 (1e-7) draws the first kept token", "sampleTopK", { logits: five, k: 3, tau: 1, u: 1e-7 }, TOL_ID),
    mkCase("u = 0 never draws a token the filter removed (cumsum > u, strictly): token 0 is out of the top 2", "sampleTopK", { logits: X([0, 5, 5]), k: 2, tau: 1, u: 0 }, TOL_ID),
    mkCase("u near 1 (0.999999) draws the last kept token", "sampleTopK", { logits: five, k: 3, tau: 1, u: 0.999999 }, TOL_ID),
    mkCase("tau -> 0 (0.01): logits / tau reach 1000, subtract the max of the kept logits", "sampleTopK", { logits: X([10, 9.9, 8, -5]), k: 3, tau: 0.01, u: 0.5 }, TOL_ID),
  ];
}

/** Logits, half the time rounded to halves so that ties at the k-th value happen. */
function logitsOf(rng: Rng, V: number): Tensor {
  const x = rng.tensor([V], 2);
  if (rng.next() < 0.5) for (let i = 0; i < V; i++) x.data[i] = Math.round(x.data[i]! * 2) / 2;
  return x;
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let n = 0; n < 3; n++) {
    const V = rng.pick([2, 5, 10, 32, 100]);
    const k = rng.pick([1, 2, 3, 5, 10, 50, V]);
    cases.push(mkCase(`topKFilter logits[${V}] k ${k}`, "topKFilter", { logits: logitsOf(rng, V), k }, TOL_FILTER));
  }
  for (let n = 0; n < 3; n++) {
    const V = rng.pick([2, 5, 10, 32, 100]);
    const k = rng.pick([1, 2, 3, 5, 10, 50, V]);
    const tau = rng.pick([0, 0.5, 0.8, 1, 1.5]);
    const logits = logitsOf(rng, V);
    const kept = reference.topKFilter(logits, k);
    const u = safeU(() => rng.next(), softmax64(Array.from(kept.data, (v) => v / (tau || 1))));
    cases.push(mkCase(`sampleTopK logits[${V}] k ${k} tau ${tau}`, "sampleTopK", { logits, k, tau, u }, TOL_ID));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Top-k sampling: keep the k largest logits (exactly k, ties to the lower index; k >= V keeps all) and set the rest to -Infinity; then sample in Hugging Face's order: divide by the temperature, keep the top k, softmax, inverse-CDF draw with u (tau = 0 is greedy).",
  functions: [
    { name: "topKFilter", signature: "topKFilter(logits: Tensor, k: number): Tensor", doc: "logits is [V], k >= 1; out is [V]: the top min(k, V) logits copied, every other entry -Infinity" },
    { name: "sampleTopK", signature: "sampleTopK(logits: Tensor, k: number, tau: number, u: number): number", doc: "logits is [V]; tau = 0 is greedy; otherwise the smallest i with cumsum(softmax(topKFilter(logits / tau, k)))_i > u" },
  ],
  toleranceText: "exact: ids, and the filtered logits (copies of the input and -Infinity)",
  oracleText: "ONNX TopK (k = min(k, V), sorted, ties to the lower index) scattered back into -Infinity with ScatterElements; sampling: logits / tau in float64, TopK, Softmax, CumSum and the count of cumulative sums <= u",
  hints: {
    nudge: "A token survives when fewer than k tokens beat it, where 'beat' means a larger logit, or an equal logit at a lower index. Then reuse your softmax and inverse-CDF draw from 028.",
    formula: "rank_i = #{j : x_j > x_i or (x_j = x_i and j < i)}; keep i iff rank_i < k. p = softmax(filtered / tau) (exp(-Infinity) = 0, so the k survivors are renormalised); id = smallest i with p_0 + ... + p_i > u.",
    pseudocode: [
      "topKFilter: for i: rank = 0; for j: if x[j] > x[i] or (x[j] == x[i] and j < i): rank++",
      "            out[i] = rank < k ? x[i] : -Infinity",
      "sampleTopK: if tau == 0: return argmax(x)",
      "            f = topKFilter(x / tau, k); p = softmax(f)",
      "            cum = 0; for i: cum += p[i]; if cum > u: return i",
      "            return the last i with p[i] > 0",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const x = arg<Tensor>(c, "logits");
    const k = int1(arg<number>(c, "k"));
    if (c.fn === "topKFilter") return (await ort.run(filterModel, { x, k })).y!;
    const tau = arg<number>(c, "tau");
    if (tau === 0) return idOf((await ort.run(greedyModel, { x })).id!);
    return idOf((await ort.run(sampleModel, { x, k, tau: split64(tau), u: split64(arg<number>(c, "u")) })).id!);
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
