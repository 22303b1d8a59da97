// 034 beam-search: reference solution.
// V = vocabulary. step(prefix) returns the next-token log-probabilities [V] after prefix (bos first).
// Every step expands each live beam by all V tokens and keeps the beamWidth best candidates by summed
// log-prob (ties: lower beam, then lower token). A kept candidate ending in eos is finished; after
// maxLen generated tokens the live beams are finished too. score = logp / L^lengthPenalty, with L the
// generated length including eos; the best finished score wins (ties: the one finished first).

interface Beam {
  tokens: number[]; // generated tokens, without bos
  logp: number;
}

export function beamSearch(
  step: (prefix: number[]) => Float32Array,
  bos: number,
  eos: number,
  beamWidth: number,
  maxLen: number,
  lengthPenalty: number,
): { tokens: number[]; score: number } {
  let live: Beam[] = [{ tokens: [], logp: 0 }];
  const finished: Beam[] = [];
  for (let len = 1; len <= maxLen && live.length > 0; len++) {
    // candidates in (beam, token) order, so a stable sort breaks ties by lower beam, then lower token
    const candidates: Beam[] = [];
    for (const beam of live) {
      const logprobs = step([bos, ...beam.tokens]);
      for (let t = 0; t < logprobs.length; t++) candidates.push({ tokens: [...beam.tokens, t], logp: beam.logp + logprobs[t] });
    }
    candidates.sort((a, b) => b.logp - a.logp);
    live = [];
    for (const c of candidates.slice(0, beamWidth)) {
      if (c.tokens[c.tokens.length - 1] === eos || len === maxLen) finished.push(c);
      else live.push(c);
    }
  }
  let best: { tokens: number[]; score: number } = { tokens: [], score: -Infinity };
  for (const f of finished) {
    const score = f.logp / Math.pow(f.tokens.length, lengthPenalty);
    if (score > best.score) best = { tokens: f.tokens, score };
  }
  return best;
}
