// 017 scaled-dot-product-attention: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { maskTensor, tensor } from "../../src/core/tensor.ts";
import type { Rng } from "../../src/core/rng.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

/** Sums of Tk products and Dh products: atol grows with both. */
const tolFor = (tk: number, dh: number): TolMap => ({ "*": { atol: 1e-5 + 2.5e-7 * (tk + dh), rtol: 1e-4 } });

// The ONNX Attention op (opset 23) in float64. Its is_causal aligns top-left when Tq < Tk, so the
// causal case passes an explicit boolean mask (true = attend) aligned bottom-right.
const plain = model("017/attention", (g) => {
  const [q, k, v] = ["q", "k", "v"].map((n) => f64(g, g.input(n)));
  g.output(f32(g, g.op1("Attention", [q!, k!, v!])), "y");
});
const masked = model("017/attention-masked", (g) => {
  const [q, k, v] = ["q", "k", "v"].map((n) => f64(g, g.input(n)));
  g.output(f32(g, g.op1("Attention", [q!, k!, v!, g.input("attend", "bool")])), "y");
});

/** [Tq, Tk] booleans, true where query i may attend to key j (bottom-right causal). */
function attendMask(tq: number, tk: number) {
  const m: number[] = [];
  for (let i = 0; i < tq; i++) for (let j = 0; j < tk; j++) m.push(j <= tk - tq + i ? 1 : 0);
  return maskTensor(m, [tq, tk]);
}

const X = (data: number[], shape: number[]) => tensor(data, shape);
const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

function sdpa(name: string, q: Tensor, k: Tensor, v: Tensor, causal: boolean): Case {
  return mkCase(name, "scaledDotProductAttention", { q, k, v, causal }, tolFor(k.shape[2]!, q.shape[3]!));
}

function fixtureCases(): Case[] {
  const w = (n: number, a: number, b: number) => seq(n, (i) => Math.round(10 * Math.sin(a * i + b)) / 10);
  return [
    sdpa("worked example: 2 queries, 3 keys, Dh = 2, no mask",
      X([1, 0, 0, 2], [1, 1, 2, 2]), X([1, 0, 0, 1, 1, 1], [1, 1, 3, 2]), X([1, 2, 3, 4, 5, 6], [1, 1, 3, 2]), false),
    sdpa("causal, Tq = Tk = 4: query i sees keys 0..i",
      X(w(8, 0.7, 0), [1, 1, 4, 2]), X(w(8, 1.3, 1), [1, 1, 4, 2]), X(w(8, 0.9, 2), [1, 1, 4, 2]), true),
    sdpa("causal with Tq = 2 < Tk = 5 (decoding with a cache): bottom-right, query i sees keys j <= Tk - Tq + i",
      X(w(6, 0.5, 0.3), [1, 1, 2, 3]), X(w(15, 1.1, 0.2), [1, 1, 5, 3]), X(w(10, 0.8, 1.5), [1, 1, 5, 2]), true),
    sdpa("Tq = 3, Tk = 2, no mask: the softmax runs over the keys of each query",
      X([1, 0, 0, 1, 2, 2], [1, 1, 3, 2]), X([3, 0, 0, -1], [1, 1, 2, 2]), X([1, 0, 0, 1], [1, 1, 2, 2]), false),
    sdpa("Dh = 64 with unit-scale inputs: scores are scaled by 1/sqrt(Dh) = 0.125",
      X(w(128, 0.37, 0), [1, 1, 2, 64]), X(w(192, 0.23, 0.5), [1, 1, 3, 64]), X(w(9, 1, 0), [1, 1, 3, 3]), false),
    sdpa("Dv = 3 != Dh = 2: the output has the value width",
      X([0.5, -1, 1, 1], [1, 1, 2, 2]), X([1, 0, 0, 1], [1, 1, 2, 2]), X([1, 2, 3, -1, -2, -3], [1, 1, 2, 3]), false),
    sdpa("one new token (Tq = 1) against Tk = 4 with causal: it sees every key",
      X([1, -1], [1, 1, 1, 2]), X(w(8, 0.6, 0), [1, 1, 4, 2]), X(w(8, 0.4, 1), [1, 1, 4, 2]), true),
    sdpa("B = 2, H = 3: every (batch, head) attends independently",
      X(w(24, 0.31, 0), [2, 3, 2, 2]), X(w(24, 0.47, 1), [2, 3, 2, 2]), X(w(24, 0.53, 2), [2, 3, 2, 2]), true),
    sdpa("large scores (q.k ~ 1e3): subtract the row max in the softmax",
      X([30, 30, -30, 30], [1, 1, 2, 2]), X([30, 31, 29, 30, 30, 29], [1, 1, 3, 2]), X([1, 0, 0, 1, 1, 1], [1, 1, 3, 2]), false),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let n = 0; n < 5; n++) {
    const B = rng.int(1, 2), H = rng.int(1, 3);
    const Tk = rng.int(1, 8), Tq = rng.int(1, Tk);
    const Dh = rng.pick([1, 2, 4, 8, 16, 32]), Dv = rng.pick([Dh, Dh, 3, 8]);
    const causal = rng.next() < 0.5;
    cases.push(sdpa(`B=${B} H=${H} Tq=${Tq} Tk=${Tk} Dh=${Dh} Dv=${Dv}${causal ? " causal" : ""}`,
      rng.tensor([B, H, Tq, Dh], rng.pick([0.5, 1, 3])), rng.tensor([B, H, Tk, Dh]), rng.tensor([B, H, Tk, Dv]), causal));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write scaled dot-product attention for a batch of heads: scores q k^T / sqrt(Dh), an optional causal mask aligned bottom-right (so it also works for decoding with a cache, Tq < Tk), a stable softmax over the keys, and the weighted sum of the values.",
  functions: [
    {
      name: "scaledDotProductAttention",
      signature: "scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, causal: boolean): Tensor",
      doc: "q is [B,H,Tq,Dh], k is [B,H,Tk,Dh], v is [B,H,Tk,Dv]; out is [B,H,Tq,Dv]. Causal: query i sees keys j <= Tk - Tq + i",
    },
  ],
  toleranceText: "atol 1e-5 + 2.5e-7 x (Tk + Dh), rtol 1e-4",
  oracleText: "ONNX Attention (opset 23, float64) with an explicit bottom-right boolean mask for causal cases",
  hints: {
    nudge: "Handle one (batch, head) at a time: it is a [Tq, Dh] by [Tk, Dh] problem. For each query row, which keys may it see when Tq < Tk?",
    formula: "out_i = sum_j p_ij v_j with p_ij = softmax_j(q_i . k_j / sqrt(Dh)), the softmax over keys j. Causal: keys j > Tk - Tq + i get score -Infinity (probability 0).",
    pseudocode: [
      "for bh in 0..B*H-1:",
      "  for i in 0..Tq-1:",
      "    last = causal ? Tk - Tq + i : Tk - 1",
      "    s[j] = (sum_d q[bh,i,d] * k[bh,j,d]) / sqrt(Dh)   for j <= last",
      "    m = max_j s[j]; e[j] = exp(s[j] - m); z = sum_j e[j]",
      "    out[bh,i,d] = sum_j e[j] * v[bh,j,d] / z        for d in 0..Dv-1",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const q = arg<Tensor>(c, "q"), k = arg<Tensor>(c, "k"), v = arg<Tensor>(c, "v");
    if (!arg<boolean>(c, "causal")) return (await ort.run(plain, { q, k, v })).y!;
    return (await ort.run(masked, { q, k, v, attend: attendMask(q.shape[2]!, k.shape[2]!) })).y!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
