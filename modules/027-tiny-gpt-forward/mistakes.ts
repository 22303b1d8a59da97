// 027 tiny-gpt-forward: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { IntTensor, Mistake, Tensor } from "../../src/core/types.ts";
import { blockData, type BlockCfg, type BlockParams, type BlockSwitches } from "../026-decoder-block/mistakes.ts";

interface Weights { tokEmb: Tensor; blocks: BlockParams[]; finalNorm: Tensor }
interface Switches {
  noFinalNorm?: boolean;
  tokEmbReadAsDV?: boolean;
  embedScaled?: boolean;
  firstBlockOnly?: boolean;
  /** eps everywhere instead of cfg.eps (0: left out; 1e-6: the default hard-coded). */
  epsFixed?: number;
  block?: BlockSwitches;
}

function variant(s: Switches) {
  return (ids: IntTensor, w: Weights, cfg: BlockCfg): Tensor => {
    const [B, T] = ids.shape as [number, number];
    const [V, D] = w.tokEmb.shape as [number, number];
    const N = B * T;
    let x = new Float64Array(N * D);
    for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) x[n * D + d] = w.tokEmb.data[ids.data[n]! * D + d]! * (s.embedScaled ? Math.sqrt(D) : 1);
    const block = s.epsFixed === undefined ? s.block ?? {} : { ...s.block, epsFixed: s.epsFixed };
    for (const p of w.blocks) x = blockData(x, B, T, D, s.firstBlockOnly ? w.blocks[0]! : p, cfg, block) as Float64Array<ArrayBuffer>;
    const eps = s.epsFixed ?? cfg.eps ?? 1e-6;
    const h = new Float64Array(N * D);
    for (let n = 0; n < N; n++) {
      let ss = 0;
      for (let d = 0; d < D; d++) ss += x[n * D + d]! ** 2;
      const inv = s.noFinalNorm ? 1 : 1 / Math.sqrt(ss / D + eps);
      for (let d = 0; d < D; d++) h[n * D + d] = x[n * D + d]! * inv * (s.noFinalNorm ? 1 : w.finalNorm.data[d]!);
    }
    const out = new Float32Array(N * V);
    for (let n = 0; n < N; n++) for (let v = 0; v < V; v++) {
      let acc = 0;
      for (let d = 0; d < D; d++) acc += h[n * D + d]! * (s.tokEmbReadAsDV ? w.tokEmb.data[d * V + v]! : w.tokEmb.data[v * D + d]!);
      out[n * V + v] = acc;
    }
    return { data: out, shape: [B, T, V] };
  };
}

export const mistakes: Mistake[] = [
  {
    id: "final-norm-forgotten",
    title: "no final RMSNorm before the LM head",
    lesson: "a pre-norm stack never normalises its residual stream, whose scale grows with depth: apply rmsNorm(x) * finalNorm after the last block and before the head",
    impl: { gptForward: variant({ noFinalNorm: true }) },
  },
  {
    // The curriculum's "untied head": the weights hold no separate head matrix, so the untied head a learner
    // can write is a head that does not use tokEmb as the tied head does (tokEmb^T): it reads tokEmb as [D,V].
    id: "tokemb-read-as-d-by-v",
    title: "LM head reads tokEmb as a [D,V] matrix (tokEmb.data[d*V + v]) instead of using tokEmb^T",
    lesson: "the tied head is h @ tokEmb^T: logits[v] = h . tokEmb[v] = sum_d h[d] * tokEmb.data[v*D + d] (row v of the [V,D] table). Indexing tokEmb.data[d*V + v] reads the same V*D numbers as a [D,V] matrix: no index goes out of range, so nothing throws for any V and D, but the head is a different matrix (h @ tokEmb itself when V = D, a scrambled one otherwise)",
    impl: { gptForward: variant({ tokEmbReadAsDV: true }) },
  },
  {
    id: "embedding-scaled",
    title: "embeddings multiplied by sqrt(D)",
    lesson: "Llama feeds the raw embedding row into the first block; the sqrt(D) scale belongs to the original Transformer and Gemma, not to this model",
    impl: { gptForward: variant({ embedScaled: true }) },
  },
  {
    id: "eps-left-out",
    title: "RMSNorm without eps: x / sqrt(mean(x^2))",
    lesson: "every RMSNorm (each block's two and the final one) is x / sqrt(mean(x^2) + eps) * w with eps = cfg.eps ?? 1e-6; eps matters when mean(x^2) is not much larger than it, as with small embeddings",
    impl: { gptForward: variant({ epsFixed: 0 }) },
  },
  {
    id: "eps-not-from-cfg",
    title: "eps hard-coded to 1e-6, cfg.eps ignored",
    lesson: "pass cfg's eps (and ropeBase) to every block and to the final norm, falling back to the defaults only when cfg omits them",
    impl: { gptForward: variant({ epsFixed: 1e-6 }) },
  },
  {
    id: "same-block-weights",
    title: "every layer uses blocks[0]",
    lesson: "each of the L layers has its own weights: apply blocks[0], then blocks[1], ... in order",
    impl: { gptForward: variant({ firstBlockOnly: true }) },
  },
];
