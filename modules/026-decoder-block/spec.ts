// 026 decoder-block: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { Rng } from "../../src/core/rng.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, OracleModel, Tensor, TolMap, Value } from "../../src/core/types.ts";
import { mistakes } from "./mistakes.ts";
import { BLOCK_WEIGHTS, blockGraph, randomBlockParams, ropeCaches, type BlockWeightNames } from "./oracle.ts";
import * as reference from "./reference.ts";

// outputs are O(1); float32 storage of every intermediate (x, q, k, v, scores in float64, F-long sums)
// leaves errors near 1e-6; the oracle's RotaryEmbedding runs in float32 (no double kernel)
const TOL: TolMap = { "*": { atol: 5e-5, rtol: 1e-4 } };

interface Cfg { H: number; Hkv: number; eps?: number; ropeBase?: number }

const models = new Map<string, OracleModel>();
/** One graph per (H, Hkv, eps): head counts and epsilon are attributes; shapes and ropeBase are inputs. */
function blockModel(H: number, Hkv: number, eps: number): OracleModel {
  const key = `026/decoder-block/H${H}/Hkv${Hkv}/eps${eps}`;
  let m = models.get(key);
  if (!m) {
    m = model(key, (g) => {
      const x = f64(g, g.input("x"));
      const w = Object.fromEntries(BLOCK_WEIGHTS.map((n) => [n, f64(g, g.input(n))])) as BlockWeightNames;
      const base = f64(g, g.input("ropeBase"));
      g.output(f32(g, blockGraph(g, x, w, H, Hkv, eps, ropeCaches(g, x, w.wq, H, base))), "y");
    });
    models.set(key, m);
  }
  return m;
}

const X = (data: number[], shape: number[]) => tensor(data, shape);

/** Weights rounded to one decimal, for the readable worked example. */
function rounded(t: { data: Float32Array; shape: number[] }): Tensor {
  return X(Array.from(t.data, (v) => Math.round(v * 10) / 10), t.shape);
}

function blockCase(name: string, seed: number, B: number, T: number, D: number, F: number, cfg: Cfg, xScale = 1, round = false): Case {
  const rng = new Rng(seed);
  let x: Tensor = rng.tensor([B, T, D], xScale);
  let p: Record<string, Tensor> = randomBlockParams(rng, D, cfg.H, cfg.Hkv, F);
  if (round) {
    x = rounded(x);
    p = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, rounded(v)]));
  }
  return mkCase(name, "decoderBlock", { x, p: p as unknown as Value, cfg: { ...cfg } as unknown as Value }, TOL);
}

function fixtureCases(): Case[] {
  return [
    blockCase("worked example: B=1, T=2, D=4, H=2, Hkv=1 (two query heads share one kv head), F=4", 26, 1, 2, 4, 4, { H: 2, Hkv: 1, eps: 1e-6, ropeBase: 10000 }, 1, true),
    blockCase("pre-norm: normalise the sublayer input and add to the raw stream (post-norm changes every output)", 2601, 1, 3, 8, 16, { H: 2, Hkv: 1, eps: 1e-6, ropeBase: 10000 }),
    blockCase("each sublayer adds to the residual stream: h = x + attn(...), out = h + ffn(...)", 2602, 1, 3, 8, 16, { H: 2, Hkv: 1, eps: 1e-6, ropeBase: 10000 }),
    blockCase("RoPE rotates q and k only, not v (T >= 3, Dh >= 4)", 2603, 1, 4, 8, 16, { H: 2, Hkv: 2, eps: 1e-6, ropeBase: 10000 }),
    blockCase("causal mask: query t attends to keys 0..t only, never to later tokens (T = 4)", 2604, 1, 4, 8, 16, { H: 2, Hkv: 1, eps: 1e-6, ropeBase: 10000 }),
    blockCase("T = 1: the token attends only to itself and RoPE's angle is 0", 261, 1, 1, 8, 16, { H: 2, Hkv: 1, eps: 1e-6, ropeBase: 10000 }),
    blockCase("GQA H=4, Hkv=2: query heads 0,1 use kv head 0 and heads 2,3 kv head 1", 262, 1, 6, 16, 32, { H: 4, Hkv: 2, eps: 1e-6, ropeBase: 10000 }),
    blockCase("RoPE half-split on Dh=8: pairs (i, i+4), not (2i, 2i+1)", 263, 1, 5, 16, 32, { H: 2, Hkv: 2, eps: 1e-6, ropeBase: 10000 }),
    blockCase("multi-query attention: Hkv = 1 shared by all 4 heads", 264, 1, 5, 16, 32, { H: 4, Hkv: 1, eps: 1e-6, ropeBase: 10000 }),
    blockCase("cfg without eps and ropeBase: the defaults 1e-6 and 10000 apply (x of scale 1e-3: mean(x^2) is near eps, so eps shows)", 265, 1, 4, 8, 16, { H: 2, Hkv: 1 }, 1e-3),
    blockCase("ropeBase 100 and eps 1e-5 taken from cfg (x of scale 3e-3: mean(x^2) is near eps, so eps shows)", 266, 1, 6, 8, 16, { H: 2, Hkv: 2, eps: 1e-5, ropeBase: 100 }, 3e-3),
    blockCase("B = 2: each sequence attends only within itself", 267, 2, 3, 8, 16, { H: 2, Hkv: 1, eps: 1e-6, ropeBase: 10000 }),
    blockCase("large residual stream (x scaled by 30): pre-norm keeps the sublayer inputs at unit scale", 268, 1, 4, 16, 32, { H: 4, Hkv: 2, eps: 1e-6, ropeBase: 10000 }, 30),
    blockCase("T = 16: the longest sequence, every query sees all earlier keys", 269, 1, 16, 16, 32, { H: 4, Hkv: 2, eps: 1e-6, ropeBase: 10000 }),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const heads: [number, number][] = [[4, 2], [4, 1], [4, 4], [2, 1]];
  // two head layouts per submission (each is one oracle session to build); other seeds draw others
  const layouts = [rng.pick(heads), rng.pick(heads)];
  for (let k = 0; k < 4; k++) {
    const [H, Hkv] = layouts[k % 2]!;
    const D = rng.pick([16, 32]);
    const F = rng.pick([32, 64]);
    const B = rng.int(1, 2);
    const T = rng.int(1, 10); // the fixtures hold T = 16
    const x = rng.tensor([B, T, D], rng.pick([1, 3]));
    const p = randomBlockParams(rng, D, H, Hkv, F);
    cases.push(mkCase(`decoderBlock x[${B},${T},${D}] H ${H} Hkv ${Hkv} F ${F}`, "decoderBlock", { x, p: p as unknown as Value, cfg: { H, Hkv, eps: 1e-6, ropeBase: 10000 } }, TOL));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write one pre-norm Llama decoder block: h = x + attention(rmsNorm(x)) with grouped-query attention, half-split RoPE on queries and keys (positions 0..T-1) and a causal mask, then out = h + SwiGLU(rmsNorm(h)). Weights are [in, out].",
  functions: [
    {
      name: "decoderBlock",
      signature: "decoderBlock(x: Tensor, p: { attnNorm: Tensor; wq: Tensor; wk: Tensor; wv: Tensor; wo: Tensor; ffnNorm: Tensor; wGate: Tensor; wUp: Tensor; wDown: Tensor }, cfg: { H: number; Hkv: number; eps?: number; ropeBase?: number }): Tensor",
      doc: "x is [B,T,D]; wq [D,H*Dh], wk/wv [D,Hkv*Dh], wo [H*Dh,D], wGate/wUp [D,F], wDown [F,D], norms [D]; Dh = D/H; eps defaults to 1e-6, ropeBase to 10000; out is [B,T,D]",
    },
  ],
  toleranceText: "atol 5e-5, rtol 1e-4",
  oracleText: "one ONNX graph of the block: RMSNormalization, MatMul, RotaryEmbedding (interleaved 0, float32), Attention (q_num_heads, kv_num_heads, is_causal), Sigmoid * Mul for SiLU; float64 elsewhere",
  hints: {
    nudge: "Write four helpers first (rmsNorm over rows, matmul [N,K]x[K,M], rope on [B,T,nh*Dh], causal attention for one head) and test each; then the block is eight lines.",
    formula: "xn = x / sqrt(mean(x^2) + eps) * attnNorm; q = xn wq, k = xn wk, v = xn wv; rotate each head of q and k: for i < Dh/2, a = t * base^(-2i/Dh), (q_i, q_{i+Dh/2}) <- (q_i cos a - q_{i+Dh/2} sin a, q_{i+Dh/2} cos a + q_i sin a); head h uses kv head floor(h / (H/Hkv)); att = softmax(q k^T / sqrt(Dh) + causal) v; h = x + att wo; out = h + (silu(hn wGate) * (hn wUp)) wDown with hn = rmsNorm(h) * ffnNorm.",
    pseudocode: [
      "xn = rmsNorm(x, attnNorm)                    // [B*T, D]",
      "q = xn @ wq; k = xn @ wk; v = xn @ wv        // [B*T, H*Dh], [B*T, Hkv*Dh] x2",
      "rope(q, H); rope(k, Hkv)                     // position t of each row, pairs (i, i + Dh/2)",
      "for b, h: g = floor(h / (H / Hkv)); for i: scores_j = q[b,i,h] . k[b,j,g] / sqrt(Dh) for j <= i",
      "  att[b,i,h] = sum_j softmax(scores)_j * v[b,j,g]",
      "h1 = x + att @ wo",
      "hn = rmsNorm(h1, ffnNorm); out = h1 + (silu(hn @ wGate) * (hn @ wUp)) @ wDown",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const p = arg<Record<string, Tensor>>(c, "p" as never) as unknown as Record<string, Tensor>;
    const cfg = arg(c, "cfg") as unknown as Cfg;
    const feeds: Record<string, Tensor> = { x: arg<Tensor>(c, "x"), ropeBase: X([cfg.ropeBase ?? 10000], []) };
    for (const n of BLOCK_WEIGHTS) feeds[n] = p[n]!;
    return (await ort.run(blockModel(cfg.H, cfg.Hkv, cfg.eps ?? 1e-6), feeds)).y!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
