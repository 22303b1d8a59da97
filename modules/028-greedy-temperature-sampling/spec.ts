// 028 greedy and temperature sampling: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";
import { argMax, idOf, inverseCdf, safeU, scalar64, softmax64, split64 } from "./sampling-oracle.ts";

const TOL_ID: TolMap = { "*": { atol: 0, rtol: 0 } };
const TOL_PROBS: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };

// oracles: ONNX ArgMax; Softmax of logits / tau in float64; CumSum + count of cumsums <= u for the draw
const greedyModel = model("028/greedy", (g) => g.output(argMax(g, g.input("x")), "id", "int64"));
const tempSoftmaxModel = model("028/temperature-softmax", (g) => {
  const x = g.op1("Div", [f64(g, g.input("x")), scalar64(g, "tau")]);
  g.output(f32(g, g.op1("Softmax", [x], { axis: -1 })), "y");
});
const fromProbsModel = model("028/sample-from-probs", (g) => g.output(inverseCdf(g, f64(g, g.input("p")), scalar64(g, "u")), "id", "int64"));
const sampleModel = model("028/sample", (g) => {
  const x = g.op1("Div", [f64(g, g.input("x")), scalar64(g, "tau")]);
  g.output(inverseCdf(g, g.op1("Softmax", [x], { axis: -1 }), scalar64(g, "u")), "id", "int64");
});

const X = (data: number[]) => tensor(data, [data.length]);
const NEG = -Infinity;

function fixtureCases(): Case[] {
  const ex = X([2, 1, 0.5, -1]);
  return [
    mkCase("worked example: temperature 0.5 sharpens softmax of 4 logits", "temperatureSoftmax", { logits: ex, tau: 0.5 }, TOL_PROBS),
    mkCase("greedy picks the largest logit", "greedy", { logits: X([0.1, 2.5, -1, 0.7]) }, TOL_ID),
    mkCase("greedy: tied maxima go to the lowest index", "greedy", { logits: X([1, 3, 0, 3]) }, TOL_ID),
    mkCase("greedy with every logit negative: start the max at the first logit, not 0", "greedy", { logits: X([-3, -1, -2]) }, TOL_ID),
    mkCase("temperature 1 is plain softmax", "temperatureSoftmax", { logits: ex, tau: 1 }, TOL_PROBS),
    mkCase("temperature 2 flattens (divide the logits by tau)", "temperatureSoftmax", { logits: ex, tau: 2 }, TOL_PROBS),
    mkCase("tau -> 0 (0.01): logits / tau reach 1000, subtract the max before exp", "temperatureSoftmax", { logits: X([10, 9.9, 8, -5]), tau: 0.01 }, TOL_PROBS),
    mkCase("a -Infinity logit (masked token) gets probability exactly 0", "temperatureSoftmax", { logits: X([0.5, NEG, -0.5]), tau: 0.7 }, TOL_PROBS),
    mkCase("inverse CDF: u = 0.5 falls in token 2's slice (cumsums 0.1, 0.3, 0.6, 1)", "sampleFromProbs", { probs: X([0.1, 0.2, 0.3, 0.4]), u: 0.5 }, TOL_ID),
    mkCase("u = 0 never draws a zero-probability token (cumsum > u, strictly)", "sampleFromProbs", { probs: X([0, 0.5, 0.5]), u: 0 }, TOL_ID),
    mkCase("u exactly on a boundary (0.25) belongs to the next token", "sampleFromProbs", { probs: X([0.25, 0.25, 0.5]), u: 0.25 }, TOL_ID),
    mkCase("u near 1 (0.999999) draws the last token with positive probability", "sampleFromProbs", { probs: X([0.5, 0.25, 0.25, 0]), u: 0.999999 }, TOL_ID),
    mkCase("probs summing to 0.9999 with u = 0.99995 above the total: fall back to the last positive token", "sampleFromProbs", { probs: X([0.3, 0.4, 0.2999, 0, 0]), u: 0.99995 }, TOL_ID),
    mkCase("probs summing to 1.0002 (not normalised): still the first cumsum above u", "sampleFromProbs", { probs: X([0.2, 0.5002, 0.3]), u: 0.69 }, TOL_ID),
    mkCase("sample = inverse CDF of temperatureSoftmax (the worked example, u = 0.9)", "sample", { logits: ex, tau: 0.5, u: 0.9 }, TOL_ID),
    mkCase("tau = 0 is greedy, whatever u", "sample", { logits: X([0.3, -0.2, 1.7, 1.1]), tau: 0, u: 0.7 }, TOL_ID),
    mkCase("tau -> 0 (1e-3): all mass on the argmax, so even u = 0.99 draws the greedy token", "sample", { logits: X([1, 3, 2.5, 0]), tau: 1e-3, u: 0.99 }, TOL_ID),
    mkCase("tau -> 0 with two tied maxima: the mass splits in half, u = 0.75 draws the second", "sample", { logits: X([0, 2, 2, 1]), tau: 1e-3, u: 0.75 }, TOL_ID),
    mkCase("u near 0 (1e-7) skips a masked first token", "sample", { logits: X([NEG, 1, 2]), tau: 1, u: 1e-7 }, TOL_ID),
    mkCase("u = 0 never draws the masked first token (cumsum > u, strictly)", "sample", { logits: X([NEG, 1, 2]), tau: 1, u: 0 }, TOL_ID),
  ];
}

const pickV = (rng: Rng) => rng.pick([2, 5, 10, 32, 100]);

function randomCases(rng: Rng): Case[] {
  const next = () => rng.next();
  const cases: Case[] = [];
  {
    const V = pickV(rng);
    cases.push(mkCase(`greedy logits[${V}]`, "greedy", { logits: rng.tensor([V], 2) }, TOL_ID));
  }
  for (let k = 0; k < 2; k++) {
    const V = pickV(rng);
    const tau = rng.pick([0.05, 0.3, 0.7, 1, 1.5, 3]);
    cases.push(mkCase(`temperatureSoftmax logits[${V}] tau ${tau}`, "temperatureSoftmax", { logits: rng.tensor([V], rng.pick([1, 3])), tau }, TOL_PROBS));
  }
  {
    const V = pickV(rng);
    const probs = reference.temperatureSoftmax(rng.tensor([V], 2), 1);
    cases.push(mkCase(`sampleFromProbs probs[${V}]`, "sampleFromProbs", { probs, u: safeU(next, probs.data) }, TOL_ID));
  }
  for (let k = 0; k < 2; k++) {
    const V = pickV(rng);
    const tau = rng.pick([0, 0.3, 0.7, 1, 1.5]);
    const logits = rng.tensor([V], 2);
    const u = safeU(next, softmax64(Array.from(logits.data, (v) => v / (tau || 1))));
    cases.push(mkCase(`sample logits[${V}] tau ${tau}`, "sample", { logits, tau, u }, TOL_ID));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Turn next-token logits into a token id: greedy argmax, softmax with a temperature, and an inverse-CDF draw with a given uniform u (the smallest i whose cumulative probability exceeds u), combined in sample(logits, tau, u) where tau = 0 means greedy.",
  functions: [
    { name: "greedy", signature: "greedy(logits: Tensor): number", doc: "logits is [V]; the index of the largest logit, ties to the lowest index" },
    { name: "temperatureSoftmax", signature: "temperatureSoftmax(logits: Tensor, tau: number): Tensor", doc: "logits is [V], tau > 0; out is [V] = softmax(logits / tau)" },
    { name: "sampleFromProbs", signature: "sampleFromProbs(probs: Tensor, u: number): number", doc: "probs is [V], u in [0, 1); the smallest i with cumsum_i > u; if the total is <= u, the last index with positive probability" },
    { name: "sample", signature: "sample(logits: Tensor, tau: number, u: number): number", doc: "logits is [V]; tau = 0 is greedy, otherwise sampleFromProbs(temperatureSoftmax(logits, tau), u)" },
  ],
  toleranceText: "ids exact; temperatureSoftmax atol 1e-6, rtol 1e-5",
  oracleText: "ONNX ArgMax (select_last_index 0); Softmax of logits / tau (float64); CumSum, then the count of cumulative sums <= u (capped at the last positive index by ArgMax with select_last_index 1)",
  hints: {
    nudge: "Three small loops: an argmax, a softmax of logits / tau, and a running sum that stops as soon as it passes u. What should happen when tau is 0, or when float32 probabilities sum to 0.99999 and u = 0.999995?",
    formula: "p_i = exp(x_i/tau - m) / sum_j exp(x_j/tau - m), m = max_j x_j/tau. Draw: the smallest i with p_0 + ... + p_i > u (strictly: a token with p = 0 is never drawn). If no such i (total <= u), the last i with p_i > 0.",
    pseudocode: [
      "greedy: best = 0; for i in 1..V-1: if x[i] > x[best]: best = i",
      "temperatureSoftmax: m = max(x/tau); e[i] = exp(x[i]/tau - m); out[i] = e[i] / sum(e)",
      "sampleFromProbs: cum = 0; last = -1",
      "  for i: if p[i] > 0: last = i;  cum += p[i];  if cum > u: return i",
      "  return last",
      "sample: tau == 0 ? greedy(x) : sampleFromProbs(temperatureSoftmax(x, tau), u)",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const logits = () => arg<Tensor>(c, "logits");
    if (c.fn === "greedy") return idOf((await ort.run(greedyModel, { x: logits() })).id!);
    if (c.fn === "temperatureSoftmax") return (await ort.run(tempSoftmaxModel, { x: logits(), tau: split64(arg<number>(c, "tau")) })).y!;
    if (c.fn === "sampleFromProbs") return idOf((await ort.run(fromProbsModel, { p: arg<Tensor>(c, "probs"), u: split64(arg<number>(c, "u")) })).id!);
    const tau = arg<number>(c, "tau");
    if (tau === 0) return idOf((await ort.run(greedyModel, { x: logits() })).id!);
    return idOf((await ort.run(sampleModel, { x: logits(), tau: split64(tau), u: split64(arg<number>(c, "u")) })).id!);
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
