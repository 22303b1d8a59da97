// 034 beam-search: the step function is a seeded toy language model (a bigram table of
// log-probabilities); the oracle is the reference, and every submission is also checked against
// properties that need no reference: a beam as wide as the search space equals exhaustive search,
// and beam width 1 equals greedy decoding.
import { materialize, type CallableSpec } from "../../src/core/invoke.ts";
import { mkCase } from "../../src/core/spec-kit.ts";
import { Rng } from "../../src/core/rng.ts";
import type { Case, ModuleBody, Tensor, TolMap, Value } from "../../src/core/types.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL: TolMap = { tokens: { atol: 0, rtol: 0 }, score: { atol: 1e-6, rtol: 1e-6 } };

type Step = (prefix: number[]) => Float32Array;
interface Result { tokens: number[]; score: number }

/** A bigram language model: row r is log-softmax of logits, the next-token log-probs after token r. */
function bigram(probs: number[][]): CallableSpec {
  const V = probs.length;
  const data = new Float32Array(V * V);
  probs.forEach((row, r) => {
    const z = row.reduce((a, b) => a + b, 0);
    row.forEach((p, t) => (data[r * V + t] = Math.log(p / z)));
  });
  return { $callable: "last-token-row", table: { data, shape: [V, V] } };
}

/** A seeded random bigram model; larger sharpness means more confident rows. */
function randomModel(rng: Rng, V: number, sharpness: number): CallableSpec {
  const probs: number[][] = [];
  for (let r = 0; r < V; r++) probs.push(Array.from({ length: V }, () => Math.exp(sharpness * rng.normal())));
  return bigram(probs);
}

function beamCase(name: string, model: CallableSpec, bos: number, eos: number, beamWidth: number, maxLen: number, lengthPenalty: number): Case {
  return mkCase(name, "beamSearch", { step: model as unknown as Value, bos, eos, beamWidth, maxLen, lengthPenalty }, TOL);
}

const seeded = (seed: number, V: number, sharpness: number) => randomModel(new Rng(seed), V, sharpness);

function fixtureCases(): Case[] {
  // tokens: 0 = bos, 1 = "a", 2 = "b", 3 = eos
  const worked = bigram([
    [0.05, 0.5, 0.35, 0.1],
    [0.05, 0.1, 0.25, 0.6],
    [0.05, 0.2, 0.05, 0.7],
    [0.25, 0.25, 0.25, 0.25],
  ]);
  // greedy takes "a" (0.45) but every continuation of "a" is poor; "b" (0.4) leads to a sure eos
  const garden = bigram([
    [0.05, 0.45, 0.4, 0.1],
    [0.05, 0.3, 0.35, 0.3],
    [0.02, 0.02, 0.02, 0.94],
    [0.25, 0.25, 0.25, 0.25],
  ]);
  // eos right away is likely; longer hypotheses win only once length is normalised
  const short = bigram([
    [0.05, 0.3, 0.25, 0.4],
    [0.05, 0.85, 0.05, 0.05],
    [0.05, 0.05, 0.05, 0.85],
    [0.25, 0.25, 0.25, 0.25],
  ]);
  // eos first is the single most likely hypothesis; kept live, it takes a slot the search needs
  const crowd = bigram([
    [0.05, 0.3, 0.2, 0.45],
    [0.05, 0.5, 0.4, 0.05],
    [0.02, 0.02, 0.02, 0.94],
    [0.25, 0.25, 0.25, 0.25],
  ]);
  // eos first takes one of the two slots, so only "a" stays live; refilling with "b" (Hugging Face)
  // would find b b b, which the contract's search never sees
  const refill = bigram([
    [0.02, 0.38, 0.2, 0.4],
    [0.02, 0.3, 0.3, 0.38],
    [0.02, 0.03, 0.9, 0.05],
    [0.25, 0.25, 0.25, 0.25],
  ]);
  const uniform = bigram([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]);
  // after step 1, [1] and [2] tie; at step 2, [1,3] (beam 0, eos) ties with [2,1] and [2,3] for the
  // second slot: beam order keeps [1,3] (finished), token order would keep [2,1]
  const tieAcross = bigram([
    [0.1, 0.35, 0.35, 0.2],
    [0.05, 0.5, 0.15, 0.3],
    [0.2, 0.3, 0.2, 0.3],
    [0.25, 0.25, 0.25, 0.25],
  ]);
  return [
    beamCase("worked example: V = 4 (0 bos, 1 a, 2 b, 3 eos), beam 2, maxLen 3, length penalty 1", worked, 0, 3, 2, 3, 1),
    beamCase("beam width 1 is greedy decoding", garden, 0, 3, 1, 3, 1),
    beamCase("beam width 2 finds the sequence greedy misses: a likely first token with poor continuations", garden, 0, 3, 2, 3, 1),
    beamCase("length penalty 0: the summed log-prob decides, short hypotheses win", short, 0, 3, 3, 4, 0),
    beamCase("length penalty 1: the log-prob per token decides, the longer hypothesis wins", short, 0, 3, 3, 4, 1),
    beamCase("length penalty 2 favours length even more", short, 0, 3, 2, 4, 2),
    beamCase("eos finishes a hypothesis and frees its beam slot for one that can still grow", crowd, 0, 3, 2, 3, 1),
    beamCase("an eos candidate takes one of the beamWidth slots: the live set shrinks, it is not refilled past eos", refill, 0, 3, 2, 3, 1),
    beamCase("maxLen reached: live beams are finished as they are (no eos at the end)", bigram([[1, 5, 4, 0.1], [1, 5, 4, 0.1], [1, 4, 5, 0.1], [1, 1, 1, 1]]), 0, 3, 2, 3, 1),
    beamCase("ties within a beam: the lower token is kept", uniform, 0, 3, 2, 2, 1),
    beamCase("ties across beams: the candidate of the better beam is kept before a lower token of a worse beam", tieAcross, 0, 3, 2, 3, 0),
    beamCase("a beam as wide as the space (4^3 = 64) is exact search", seeded(11, 4, 1), 0, 3, 64, 3, 0.6),
    beamCase("eos is not the last token id: eos = 1, bos = 2", seeded(13, 5, 1.2), 2, 1, 3, 4, 1),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let n = 0; n < 5; n++) {
    const V = rng.int(3, 6), maxLen = rng.int(2, 5);
    const space = V ** maxLen;
    const beamWidth = n === 0 ? 1 : n === 1 && space <= 256 ? space : rng.int(2, 4);
    const lp = rng.pick([0, 0.6, 1, 1, 2]);
    const bos = rng.int(0, V - 1);
    let eos = rng.int(0, V - 1);
    if (eos === bos) eos = (eos + 1) % V;
    cases.push(beamCase(`V=${V} maxLen=${maxLen} beam=${beamWidth} lengthPenalty=${lp} bos=${bos} eos=${eos}`, randomModel(rng, V, rng.pick([0.5, 1, 2])), bos, eos, beamWidth, maxLen, lp));
  }
  return cases;
}

function args(c: Case) {
  const a = c.args.map((x) => x.value);
  const [step] = materialize([a[0]]) as [Step];
  return { step, bos: a[1] as number, eos: a[2] as number, beamWidth: a[3] as number, maxLen: a[4] as number, lp: a[5] as number, V: (a[0] as unknown as CallableSpec).table.shape[0]! };
}

/** Greedy decoding: the most likely next token (lowest id on ties) until eos or maxLen. */
export function greedy(step: Step, bos: number, eos: number, maxLen: number, lp: number): Result {
  const tokens: number[] = [];
  let logp = 0;
  while (tokens.length < maxLen) {
    const row = step([bos, ...tokens]);
    let best = 0;
    for (let t = 1; t < row.length; t++) if (row[t]! > row[best]!) best = t;
    tokens.push(best);
    logp += row[best]!;
    if (best === eos) break;
  }
  return { tokens, score: logp / Math.pow(tokens.length, lp) };
}

/** Exhaustive search over every complete sequence; `margin` is the gap to the runner-up. */
export function exhaustive(step: Step, bos: number, eos: number, maxLen: number, lp: number): Result & { margin: number } {
  let best: Result = { tokens: [], score: -Infinity };
  let second = -Infinity;
  const visit = (tokens: number[], logp: number) => {
    const row = step([bos, ...tokens]);
    for (let t = 0; t < row.length; t++) {
      const seq = [...tokens, t];
      const lpSum = logp + row[t]!;
      if (t === eos || seq.length === maxLen) {
        const score = lpSum / Math.pow(seq.length, lp);
        if (score > best.score) {
          second = best.score;
          best = { tokens: seq, score };
        } else if (score > second) second = score;
      } else visit(seq, lpSum);
    }
  };
  visit([], 0);
  return { ...best, margin: best.score - second };
}

const sameTokens = (a: unknown, b: number[]) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);

const spec: ModuleBody = {
  summary:
    "Write beam search over a language model given as a step function (prefix -> next-token log-probs): expand every live beam by every token, keep the beamWidth best by summed log-prob, finish hypotheses at eos or maxLen, and return the best finished one by length-normalised score.",
  functions: [
    {
      name: "beamSearch",
      signature: "beamSearch(step: (prefix: number[]) => Float32Array, bos: number, eos: number, beamWidth: number, maxLen: number, lengthPenalty: number): { tokens: number[]; score: number }",
      doc: "step(prefix) gives log-probs [V] for the token after prefix (prefix starts with bos); tokens exclude bos and end with eos (unless maxLen stopped the search); score = sum log-probs / L^lengthPenalty, L = tokens.length",
    },
  ],
  toleranceText: "tokens exactly; score atol 1e-6, rtol 1e-6",
  oracleText: "the reference, plus properties on every submission: beam width >= V^maxLen equals exhaustive search; beam width 1 equals greedy decoding",
  hints: {
    nudge: "Keep two lists: live beams (tokens so far, summed log-prob) and finished ones. One loop iteration adds one token to every live beam. What happens to a candidate whose last token is eos?",
    formula: "At each step: candidates = {(beam + t, logp(beam) + step([bos, ...beam])[t])} for every live beam and token t; keep the top beamWidth by logp (ties: lower beam, then lower token); those ending in eos, or of length maxLen, are finished. Answer: the finished hypothesis with the largest logp / L^lengthPenalty.",
    pseudocode: [
      "live = [{tokens: [], logp: 0}]; finished = []",
      "for len = 1 .. maxLen while live is not empty:",
      "  cands = []",
      "  for beam in live: row = step([bos, ...beam.tokens])",
      "    for t in 0..V-1: cands.push({tokens: [...beam.tokens, t], logp: beam.logp + row[t]})",
      "  stable sort cands by logp, descending; live = []",
      "  for c in first beamWidth of cands: (last token == eos or len == maxLen) ? finished.push(c) : live.push(c)",
      "return the finished c with the largest c.logp / c.tokens.length ** lengthPenalty (first one on ties)",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c) {
    const a = args(c);
    return reference.beamSearch(a.step, a.bos, a.eos, a.beamWidth, a.maxLen, a.lp) as unknown as Value;
  },
  property(c, got) {
    const a = args(c);
    const g = got as unknown as Result;
    if (a.beamWidth === 1) {
      const want = greedy(a.step, a.bos, a.eos, a.maxLen, a.lp);
      if (!sameTokens(g.tokens, want.tokens)) return `beam width 1 must equal greedy decoding [${want.tokens}], got [${g.tokens}]`;
    }
    if (a.beamWidth >= a.V ** a.maxLen) {
      const want = exhaustive(a.step, a.bos, a.eos, a.maxLen, a.lp);
      if (want.margin > 1e-9 && !sameTokens(g.tokens, want.tokens)) return `a beam as wide as the search space (${a.V}^${a.maxLen}) must find the exact best sequence [${want.tokens}] (score ${want.score.toFixed(6)}), got [${g.tokens}]`;
    }
    return null;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
