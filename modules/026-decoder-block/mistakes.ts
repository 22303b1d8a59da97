// 026 decoder-block: known mistakes, each a wrong variant of the reference that the grader can recognise.
// `variantBlock` is a decoder block with switches for each mistake (also used by 027).
import type { Mistake, Tensor } from "../../src/core/types.ts";

export type BlockParams = Record<"attnNorm" | "wq" | "wk" | "wv" | "wo" | "ffnNorm" | "wGate" | "wUp" | "wDown", Tensor>;
export interface BlockCfg { H: number; Hkv: number; eps?: number; ropeBase?: number }
export interface BlockSwitches {
  postNorm?: boolean;
  noAttnResidual?: boolean;
  noFfnResidual?: boolean;
  ropeOnV?: boolean;
  gqaModulo?: boolean;
  ropeInterleaved?: boolean;
  noCausalMask?: boolean;
  /** eps used instead of cfg.eps (0: left out; 1e-6: the default hard-coded). */
  epsFixed?: number;
}

function rms(x: Float64Array, w: Tensor, N: number, D: number, eps: number): Float64Array {
  const out = new Float64Array(N * D);
  for (let n = 0; n < N; n++) {
    let ss = 0;
    for (let d = 0; d < D; d++) ss += x[n * D + d]! ** 2;
    const inv = 1 / Math.sqrt(ss / D + eps);
    for (let d = 0; d < D; d++) out[n * D + d] = x[n * D + d]! * inv * w.data[d]!;
  }
  return out;
}

function mm(a: Float64Array, W: Tensor, N: number): Float64Array {
  const [K, M] = W.shape as [number, number];
  const out = new Float64Array(N * M);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) {
    const av = a[n * K + k]!;
    for (let m = 0; m < M; m++) out[n * M + m] += av * W.data[k * M + m]!;
  }
  return out;
}

function rope(x: Float64Array, B: number, T: number, nh: number, Dh: number, base: number, interleaved: boolean): void {
  const half = Dh / 2;
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let h = 0; h < nh; h++) {
    const off = ((b * T + t) * nh + h) * Dh;
    for (let i = 0; i < half; i++) {
      const a = t * Math.pow(base, (-2 * i) / Dh);
      const [i1, i2] = interleaved ? [off + 2 * i, off + 2 * i + 1] : [off + i, off + i + half];
      const x1 = x[i1]!, x2 = x[i2]!;
      x[i1] = x1 * Math.cos(a) - x2 * Math.sin(a);
      x[i2] = x2 * Math.cos(a) + x1 * Math.sin(a);
    }
  }
}

/** A decoder block in float64 with the given mistakes switched on; x is [B,T,D] data, returns [B,T,D] data. */
export function blockData(x: Float64Array, B: number, T: number, D: number, p: BlockParams, cfg: BlockCfg, s: BlockSwitches = {}): Float64Array {
  const { H, Hkv } = cfg;
  const eps = s.epsFixed ?? cfg.eps ?? 1e-6, base = cfg.ropeBase ?? 10000;
  const Dh = D / H, group = H / Hkv, N = B * T;
  const attn = (inp: Float64Array): Float64Array => {
    const q = mm(inp, p.wq, N), k = mm(inp, p.wk, N), v = mm(inp, p.wv, N);
    rope(q, B, T, H, Dh, base, !!s.ropeInterleaved);
    rope(k, B, T, Hkv, Dh, base, !!s.ropeInterleaved);
    if (s.ropeOnV) rope(v, B, T, Hkv, Dh, base, !!s.ropeInterleaved);
    const att = new Float64Array(N * H * Dh);
    for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
      const g = s.gqaModulo ? h % Hkv : Math.floor(h / group);
      for (let i = 0; i < T; i++) {
        const last = s.noCausalMask ? T - 1 : i;
        const sc: number[] = [];
        for (let j = 0; j <= last; j++) {
          let dot = 0;
          for (let d = 0; d < Dh; d++) dot += q[((b * T + i) * H + h) * Dh + d]! * k[((b * T + j) * Hkv + g) * Dh + d]!;
          sc.push(dot / Math.sqrt(Dh));
        }
        const m = Math.max(...sc);
        const e = sc.map((z) => Math.exp(z - m));
        const sum = e.reduce((a2, b2) => a2 + b2, 0);
        for (let d = 0; d < Dh; d++) {
          let acc = 0;
          for (let j = 0; j <= last; j++) acc += (e[j]! / sum) * v[((b * T + j) * Hkv + g) * Dh + d]!;
          att[((b * T + i) * H + h) * Dh + d] = acc;
        }
      }
    }
    return mm(att, p.wo, N);
  };
  const ffn = (inp: Float64Array): Float64Array => {
    const gate = mm(inp, p.wGate, N), up = mm(inp, p.wUp, N);
    for (let i = 0; i < gate.length; i++) gate[i] = (gate[i]! / (1 + Math.exp(-gate[i]!))) * up[i]!;
    return mm(gate, p.wDown, N);
  };
  const add = (a: Float64Array, b2: Float64Array) => a.map((v, i) => v + b2[i]!);
  if (s.postNorm) {
    // original-Transformer order: sublayer on the raw stream, normalise after the residual add
    const h = rms(add(x, attn(x)), p.attnNorm, N, D, eps);
    return rms(add(h, ffn(h)), p.ffnNorm, N, D, eps);
  }
  const a = attn(rms(x, p.attnNorm, N, D, eps));
  const h = s.noAttnResidual ? a : add(x, a);
  const f = ffn(rms(h, p.ffnNorm, N, D, eps));
  return s.noFfnResidual ? f : add(h, f);
}

export function variantBlock(s: BlockSwitches) {
  return (x: Tensor, p: BlockParams, cfg: BlockCfg): Tensor => {
    const [B, T, D] = x.shape as [number, number, number];
    return { data: Float32Array.from(blockData(Float64Array.from(x.data), B, T, D, p, cfg, s)), shape: [B, T, D] };
  };
}

export const mistakes: Mistake[] = [
  {
    id: "post-norm",
    title: "post-norm block: rmsNorm(x + attn(x)) instead of x + attn(rmsNorm(x))",
    lesson: "Llama is pre-norm: normalise the INPUT of each sublayer and add the raw sublayer output to the un-normalised stream (h = x + attn(rmsNorm(x)), out = h + ffn(rmsNorm(h))); post-norm (the 2017 Transformer) normalises after the add, which changes every output",
    impl: { decoderBlock: variantBlock({ postNorm: true }) },
  },
  {
    id: "attn-residual-skipped",
    title: "attention residual skipped: h = attn(rmsNorm(x))",
    lesson: "each sublayer ADDS to the residual stream: h = x + attn(rmsNorm(x)); without the + x the block discards its input and deep stacks cannot train",
    impl: { decoderBlock: variantBlock({ noAttnResidual: true }) },
  },
  {
    id: "ffn-residual-skipped",
    title: "feed-forward residual skipped: out = ffn(rmsNorm(h))",
    lesson: "the second sublayer also adds to the stream: out = h + swiglu(rmsNorm(h))",
    impl: { decoderBlock: variantBlock({ noFfnResidual: true }) },
  },
  {
    id: "rope-on-v",
    title: "RoPE applied to the values too",
    lesson: "RoPE rotates queries and keys only, so that q_i . k_j depends on i - j; rotating v mixes position into the content that attention averages",
    impl: { decoderBlock: variantBlock({ ropeOnV: true }) },
  },
  {
    id: "gqa-head-modulo",
    title: "GQA head mapping h % Hkv instead of floor(h / (H / Hkv))",
    lesson: "Llama's repeat_kv repeats each kv head H/Hkv times in a row: query heads 0..H/Hkv-1 use kv head 0, the next group kv head 1 (kvHead = floor(h / (H / Hkv))); h % Hkv interleaves them",
    impl: { decoderBlock: variantBlock({ gqaModulo: true }) },
  },
  {
    id: "rope-interleaved",
    title: "RoPE on interleaved pairs (2i, 2i+1) instead of halves (i, i + Dh/2)",
    lesson: "Llama (Hugging Face) rotates pair (i, i + Dh/2) with frequency base^(-2i/Dh) (rotate_half); the original RoPE paper and GPT-J pair adjacent dims (2i, 2i+1). Both are valid but not interchangeable with given weights: use the half-split form here",
    impl: { decoderBlock: variantBlock({ ropeInterleaved: true }) },
  },
  {
    id: "eps-left-out",
    title: "RMSNorm without eps: x / sqrt(mean(x^2))",
    lesson: "eps keeps the norm finite and smooth when a row is near zero: rmsNorm(x) = x / sqrt(mean(x^2) + eps) * w, with eps = cfg.eps ?? 1e-6; it matters exactly when mean(x^2) is not much larger than eps",
    impl: { decoderBlock: variantBlock({ epsFixed: 0 }) },
  },
  {
    id: "eps-not-from-cfg",
    title: "eps hard-coded to 1e-6, cfg.eps ignored",
    lesson: "take eps (and ropeBase) from cfg and fall back to the defaults only when they are missing: const eps = cfg.eps ?? 1e-6",
    impl: { decoderBlock: variantBlock({ epsFixed: 1e-6 }) },
  },
  {
    id: "no-causal-mask",
    title: "attention without the causal mask",
    lesson: "a decoder position t may attend to keys 0..t only; without the mask earlier positions see the future, so every output except the last changes",
    impl: { decoderBlock: variantBlock({ noCausalMask: true }) },
  },
];
