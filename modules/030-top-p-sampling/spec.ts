// 030 top-p (nucleus) sampling: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { argMax, idOf, int1, int64In, inverseCdf, safeU, scalar64, softmax64, split64, topPKeep } from "../028-greedy-temperature-sampling/sampling-oracle.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_ID: TolMap = { "*": { atol: 0, rtol: 0 } };
// kept logits are copies of the input and the rest is -Infinity: exact
const TOL_FILTER: TolMap = { "*": { atol: 0, rtol: 0 } };

// oracles: ONNX TopK with k = V sorts (ties to the lower index); Softmax; exclusive CumSum < p (or p >= 1, or
// rank < minKeep) keeps; ScatterElements puts the kept logits back. Sampling: / tau first, then Softmax, CumSum.
const filterModel = model("030/top-p-filter", (g) => {
  g.output(f32(g, topPKeep(g, f64(g, g.input("x")), scalar64(g, "p"), int64In(g, "minKeep"))), "y");
});
const sampleModel = model("030/sample-top-p", (g) => {
  const x = g.op1("Div", [f64(g, g.input("x")), scalar64(g, "tau")]);
  const probs = g.op1("Softmax", [topPKeep(g, x, scalar64(g, "p"), g.constant([1], [1]))], { axis: -1 });
  g.output(inverseCdf(g, probs, scalar64(g, "u")), "id", "int64");
});
const greedyModel = model("030/greedy", (g) => g.output(argMax(g, g.input("x")), "id", "int64"));

const X = (data: number[]) => tensor(data, [data.length]);
const NEG = -Infinity;

/** Sorted (descending) cumulative sums of softmax(x): a case's p must stay 1e-5 away from each. */
function sortedCums(x: ArrayLike<number>): number[] {
  const q = softmax64(x).sort((a, b) => b - a);
  let c = 0;
  return q.map((v) => (c += v));
}
const clearOf = (p: number, cums: number[]) => p >= 1 || cums.every((c) => Math.abs(c - p) >= 1e-5);

function fixtureCases(): Case[] {
  const ex = X([1.5, -0.3, 2.2, 0.8, 0.1]);
  const five = X([2, 1, 0.5, -1, 0]);
  return [
    mkCase("worked example: the nucleus of p = 0.8 (sorted cumulative masses 0.513, 0.768, 0.895: three tokens)", "topPFilter", { logits: ex, p: 0.8 }, TOL_FILTER),
    mkCase("the token that crosses p is kept (p = 0.6: the top token has 0.513, so two tokens)", "topPFilter", { logits: ex, p: 0.6 }, TOL_FILTER),
    mkCase("mass accumulates in sorted order, not vocabulary order", "topPFilter", { logits: X([0.1, 2.2, -0.3, 1.5, 0.8]), p: 0.6 }, TOL_FILTER),
    mkCase("ties in the sort go to the lower index", "topPFilter", { logits: X([1, 2, 1, 1]), p: 0.6 }, TOL_FILTER),
    mkCase("a small p (0.05) keeps only the top token", "topPFilter", { logits: ex, p: 0.05 }, TOL_FILTER),
    mkCase("minKeep = 3 keeps 3 tokens even when the top token alone reaches p", "topPFilter", { logits: ex, p: 0.05, minKeep: 3 }, TOL_FILTER),
    mkCase("p = 1 keeps every token", "topPFilter", { logits: ex, p: 1 }, TOL_FILTER),
    mkCase("p = 1 keeps every token even when the mass before them rounds to 1", "topPFilter", { logits: X([0, -80, -200]), p: 1 }, TOL_FILTER),
    mkCase("masked (-Infinity) logits never enter the nucleus", "topPFilter", { logits: X([NEG, 1, 0.5, NEG]), p: 0.9 }, TOL_FILTER),
    mkCase("logits near 1000: the softmax inside the filter must subtract the max", "topPFilter", { logits: X([1000, 999, 990, 0]), p: 0.9 }, TOL_FILTER),
    mkCase("sampleTopP worked example: p = 0.8, tau 1, u = 0.7", "sampleTopP", { logits: ex, p: 0.8, tau: 1, u: 0.7 }, TOL_ID),
    mkCase("temperature before the filter: tau 0.5 shrinks the nucleus to 2 tokens (u = 0.97)", "sampleTopP", { logits: five, p: 0.9, tau: 0.5, u: 0.97 }, TOL_ID),
    mkCase("p = 1 is plain temperature sampling", "sampleTopP", { logits: five, p: 1, tau: 1.5, u: 0.93 }, TOL_ID),
    mkCase("tau = 0 is greedy, whatever p and u", "sampleTopP", { logits: X([0.3, -0.2, 1.7, 1.1]), p: 0.9, tau: 0, u: 0.7 }, TOL_ID),
    mkCase("u near 0 (1e-7) draws the first nucleus token in vocabulary order", "sampleTopP", { logits: ex, p: 0.8, tau: 1, u: 1e-7 }, TOL_ID),
    mkCase("u = 0 never draws a token outside the nucleus (cumsum > u, strictly): token 0 is left out at p = 0.9", "sampleTopP", { logits: X([0, 5, 5]), p: 0.9, tau: 1, u: 0 }, TOL_ID),
    mkCase("u near 1 (0.999999) draws the last nucleus token in vocabulary order", "sampleTopP", { logits: ex, p: 0.8, tau: 1, u: 0.999999 }, TOL_ID),
    mkCase("tau -> 0 (0.01): logits / tau reach 1000, subtract the max before exp", "sampleTopP", { logits: X([10, 9.9, 8, -5]), p: 0.9, tau: 0.01, u: 0.5 }, TOL_ID),
  ];
}

/** A p for x: from a menu, else uniform, always 1e-5 away from the sorted cumulative sums. */
function pickP(rng: Rng, x: ArrayLike<number>): number {
  const cums = sortedCums(x);
  let p = rng.pick([0.3, 0.5, 0.8, 0.9, 0.95, 1]);
  while (!clearOf(p, cums)) p = 0.02 + 0.96 * rng.next();
  return p;
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let n = 0; n < 3; n++) {
    const V = rng.pick([2, 5, 10, 32, 100]);
    const logits = rng.tensor([V], rng.pick([1, 2, 4]));
    const p = pickP(rng, logits.data);
    const minKeep = rng.pick([1, 1, 2, 3]);
    cases.push(mkCase(`topPFilter logits[${V}] p ${p.toFixed(4)} minKeep ${minKeep}`, "topPFilter", { logits, p, minKeep }, TOL_FILTER));
  }
  for (let n = 0; n < 3; n++) {
    const V = rng.pick([2, 5, 10, 32, 100]);
    const tau = rng.pick([0, 0.5, 0.8, 1, 1.5]);
    const logits = rng.tensor([V], 2);
    const scaled = Array.from(logits.data, (v) => v / (tau || 1));
    const p = pickP(rng, scaled);
    const kept = reference.topPFilter(tensor(scaled, [V]), p);
    const u = safeU(() => rng.next(), softmax64(kept.data));
    cases.push(mkCase(`sampleTopP logits[${V}] p ${p.toFixed(4)} tau ${tau}`, "sampleTopP", { logits, p, tau, u }, TOL_ID));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Top-p (nucleus) sampling: sort the tokens by probability, keep the smallest prefix whose mass reaches p (the token that crosses p included; at least minKeep; p = 1 keeps all) and set the rest to -Infinity; then sample in Hugging Face's order: divide by the temperature, filter, softmax, inverse-CDF draw with u (tau = 0 is greedy).",
  functions: [
    { name: "topPFilter", signature: "topPFilter(logits: Tensor, p: number, minKeep = 1): Tensor", doc: "logits is [V], 0 < p <= 1; out is [V]: the nucleus' logits copied, every other entry -Infinity" },
    { name: "sampleTopP", signature: "sampleTopP(logits: Tensor, p: number, tau: number, u: number): number", doc: "logits is [V]; tau = 0 is greedy; otherwise the smallest i with cumsum(softmax(topPFilter(logits / tau, p)))_i > u" },
  ],
  toleranceText: "exact: ids, and the filtered logits (copies of the input and -Infinity); cases keep every cumulative sum at least 1e-5 away from p",
  oracleText: "ONNX TopK with k = V (a descending sort, ties to the lower index), Softmax, exclusive CumSum < p, ScatterElements back to vocabulary order (float64); sampling: logits / tau first, then the filter, Softmax, CumSum and the count of cumulative sums <= u",
  hints: {
    nudge: "Sort the token indices by logit, descending (equal logits: lower index first). Walk down that order adding probabilities: a token is in the nucleus if the mass of the tokens before it is still below p.",
    formula: "q = softmax(x); order = argsort(-x) (stable); token order[r] is kept iff p >= 1 or r < minKeep or sum_{s<r} q[order[s]] < p. Sampling: z = x / tau, keep the nucleus of z, softmax of the kept z (renormalised), smallest i with cumsum > u.",
    pseudocode: [
      "topPFilter: q = softmax(x); order = indices sorted by x descending, ties by index",
      "            before = 0; out = all -Infinity",
      "            for r, i in order: if p >= 1 or r < minKeep or before < p: out[i] = x[i]",
      "                               before += q[i]",
      "sampleTopP: if tau == 0: return argmax(x)",
      "            f = topPFilter(x / tau, p); probs = softmax(f); inverse-CDF draw with u (as in 028)",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const x = arg<Tensor>(c, "logits");
    const p = split64(arg<number>(c, "p"));
    if (c.fn === "topPFilter") {
      const mk = c.args.find((a) => a.name === "minKeep");
      return (await ort.run(filterModel, { x, p, minKeep: int1(mk ? (mk.value as number) : 1) })).y!;
    }
    const tau = arg<number>(c, "tau");
    if (tau === 0) return idOf((await ort.run(greedyModel, { x })).id!);
    return idOf((await ort.run(sampleModel, { x, p, tau: split64(tau), u: split64(arg<number>(c, "u")) })).id!);
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
