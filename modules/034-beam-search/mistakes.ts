// 034 beam-search: known mistakes as wrong variants of the reference.
import type { Mistake } from "../../src/core/types.ts";

type Step = (prefix: number[]) => Float32Array;
interface Beam { tokens: number[]; logp: number }

interface Variant {
  /** Finished beams stay live (eos is not a stop). */
  eosStaysLive?: boolean;
  /** Length used in the penalty. */
  length?: (b: Beam, eos: number) => number;
  /** No length penalty at all. */
  noPenalty?: boolean;
  /** The returned tokens include bos. */
  withBos?: boolean;
  /** Ties broken by lower token first, then lower beam. */
  tokenFirst?: boolean;
  /**
   * Hugging Face's BeamSearchScorer: walk the best 2 x beamWidth candidates, finish an eos candidate
   * only if it ranks within the first beamWidth, and fill the live set with beamWidth non-eos ones.
   */
  refill?: boolean;
}

function search(v: Variant) {
  return (step: Step, bos: number, eos: number, beamWidth: number, maxLen: number, lp: number) => {
    const L = (b: Beam) => (v.length ? v.length(b, eos) : b.tokens.length);
    const score = (b: Beam) => (v.noPenalty ? b.logp : b.logp / Math.pow(Math.max(1, L(b)), lp));
    let live: Beam[] = [{ tokens: [], logp: 0 }];
    const finished: Beam[] = [];
    for (let len = 1; len <= maxLen && live.length > 0; len++) {
      const cands: Beam[] = [];
      for (const b of live) {
        const lastIsEos = b.tokens.length > 0 && b.tokens[b.tokens.length - 1] === eos;
        if (v.eosStaysLive && lastIsEos) {
          cands.push(b); // a finished beam keeps competing but never grows
          continue;
        }
        const row = step([bos, ...b.tokens]);
        for (let t = 0; t < row.length; t++) cands.push({ tokens: [...b.tokens, t], logp: b.logp + row[t]! });
      }
      if (v.tokenFirst) cands.sort((a, b) => a.tokens[a.tokens.length - 1]! - b.tokens[b.tokens.length - 1]!);
      cands.sort((a, b) => b.logp - a.logp);
      live = [];
      if (v.refill && len < maxLen) {
        cands.slice(0, 2 * beamWidth).forEach((c, rank) => {
          if (live.length === beamWidth) return;
          if (c.tokens[c.tokens.length - 1] !== eos) live.push(c);
          else if (rank < beamWidth) finished.push(c);
        });
        continue;
      }
      for (const c of cands.slice(0, beamWidth)) {
        const ended = c.tokens[c.tokens.length - 1] === eos;
        if (len === maxLen || (ended && !v.eosStaysLive)) finished.push(c);
        else live.push(c);
      }
      if (v.eosStaysLive && live.every((b) => b.tokens[b.tokens.length - 1] === eos)) {
        finished.push(...live);
        live = [];
      }
    }
    let best = { tokens: [] as number[], score: -Infinity };
    for (const f of finished) {
      const s = score(f);
      if (s > best.score) best = { tokens: v.withBos ? [bos, ...f.tokens] : f.tokens, score: s };
    }
    return best;
  };
}

export const mistakes: Mistake[] = [
  {
    id: "refill-past-eos",
    title: "the live set is refilled past eos candidates (Hugging Face's BeamSearchScorer)",
    lesson: "here a step keeps exactly the best beamWidth candidates and then splits them: those ending in eos are finished, the rest stay live, so the live set may shrink. Hugging Face walks the best 2 x beamWidth and skips eos candidates until beamWidth beams are live again, which explores more and can end on a different sequence; both are beam search, but the contract is the first",
    impl: { beamSearch: search({ refill: true }) },
  },
  {
    id: "eos-stays-live",
    title: "a beam that produced eos keeps its slot in the live set",
    lesson: "a hypothesis ending in eos is complete: move it to the finished list at once, so the beam slots go to hypotheses that can still grow; kept in the live set it crowds them out",
    impl: { beamSearch: search({ eosStaysLive: true }) },
  },
  {
    id: "no-length-penalty",
    title: "finished hypotheses compared by summed log-prob (no length penalty)",
    lesson: "summed log-probs only go down as a sequence grows, so without dividing by L^lengthPenalty the shortest hypothesis nearly always wins: score = logp / L^lengthPenalty",
    impl: { beamSearch: search({ noPenalty: true }) },
  },
  {
    id: "length-without-eos",
    title: "length penalty counts the tokens before eos only",
    lesson: "here L is the generated length including eos: [5, eos] has L = 2 (libraries differ on this; the contract fixes it)",
    impl: { beamSearch: search({ length: (b, eos) => b.tokens.filter((t) => t !== eos).length }) },
  },
  {
    id: "tokens-include-bos",
    title: "the returned tokens start with bos",
    lesson: "bos is the prompt, not generated output: return the generated tokens only, eos included",
    impl: { beamSearch: search({ withBos: true }) },
  },
  {
    id: "ties-token-first",
    title: "ties broken by the lower token before the lower beam",
    lesson: "candidates are ordered by summed log-prob, then by beam (the better-ranked beam first), then by token: build them beam by beam, token by token, and sort stably",
    impl: { beamSearch: search({ tokenFirst: true }) },
  },
];
