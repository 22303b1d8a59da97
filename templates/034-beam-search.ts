// 034 beam-search: beam search over a language model given as a step function.
// V = vocabulary. step(prefix) returns Float32Array [V]: log-probabilities of the next token after
// prefix; prefix starts with bos (step([bos]) gives the first token's distribution).
// Rules: each step expands every live beam by all V tokens and keeps the beamWidth best candidates by
// summed log-prob (ties: lower beam, then lower token). A kept candidate ending in eos is finished and
// leaves the live set; after maxLen generated tokens the live beams are finished too.
// score = (sum of log-probs) / L^lengthPenalty, L = generated length including eos; the best finished
// score wins (the one finished first on ties). tokens exclude bos and end with eos (unless maxLen
// stopped the search).
// Tolerance: tokens exactly; score atol 1e-6, rtol 1e-6.
// Submit with: llmdrill submit beam

export function beamSearch(
  step: (prefix: number[]) => Float32Array,
  bos: number,
  eos: number,
  beamWidth: number,
  maxLen: number,
  lengthPenalty: number,
): { tokens: number[]; score: number } {
  // TODO: live beams and finished hypotheses; one token per iteration; pick the best finished score
  throw new Error("not implemented");
}
