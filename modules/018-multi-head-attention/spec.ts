// 018 multi-head attention: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, OracleModel, Tensor, TolMap } from "../../src/core/types.ts";
import { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

// three chained reductions (x @ W over D, weights @ v over T, heads @ Wo over D), float32 storage between
const TOL: TolMap = { "*": { atol: 2e-5, rtol: 1e-4 } };

// oracle: MatMul projections and ONNX Attention on 3-D [B,T,H*Dh] inputs (q_num_heads = kv_num_heads = H), float64
const models = new Map<string, OracleModel>();
function mhaModel(H: number, causal: boolean): OracleModel {
  const key = `018/mha/H${H}/causal${causal ? 1 : 0}`;
  let m = models.get(key);
  if (!m) {
    m = model(key, (g) => {
      const x = f64(g, g.input("x"));
      const proj = (w: string) => g.op1("MatMul", [x, f64(g, g.input(w))]);
      const att = g.op1("Attention", [proj("Wq"), proj("Wk"), proj("Wv")], { q_num_heads: H, kv_num_heads: H, is_causal: causal ? 1 : 0 });
      g.output(f32(g, g.op1("MatMul", [att, f64(g, g.input("Wo"))])), "y");
    });
    models.set(key, m);
  }
  return m;
}

const X = (data: number[], shape: number[]) => tensor(data, shape);

interface Args { x: Tensor; Wq: Tensor; Wk: Tensor; Wv: Tensor; Wo: Tensor; H: number; causal: boolean }
const mha = (name: string, a: Args) => mkCase(name, "multiHeadAttention", { ...a }, TOL);

/** Random case: x ~ N(0, s^2), weights ~ N(0, 1/D) so activations stay O(1). */
function randomArgs(rng: Rng, B: number, T: number, H: number, Dh: number, causal: boolean, xScale = 1): Args {
  const D = H * Dh;
  const w = () => rng.tensor([D, D], 1 / Math.sqrt(D));
  return { x: rng.tensor([B, T, D], xScale), Wq: w(), Wk: w(), Wv: w(), Wo: w(), H, causal };
}

function fixtureCases(): Case[] {
  const r = new Rng(18);
  const I4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  return [
    mha("worked example: B = 1, T = 3, D = 4, H = 2 (Dh = 2), causal", {
      x: X([1, 0, -1, 0.5, 0, 1, 0.5, -1, 1, 1, 0, 0], [1, 3, 4]),
      Wq: X([1, 0, 0.5, 0, 0, 1, 0, 0.5, 0.5, 0, 1, 0, 0, -0.5, 0, 1], [4, 4]),
      Wk: X([0.5, 0, 0, 1, 0, 0.5, 1, 0, 1, 0, 0.5, 0, 0, 1, 0, -0.5], [4, 4]),
      Wv: X(I4, [4, 4]),
      Wo: X([0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0.5, 0.5, 0, 0, -0.5, 0.5], [4, 4]),
      H: 2,
      causal: true,
    }),
    mha("heads are column blocks of each token: reshape [B,T,D] -> [B,T,H,Dh], then transpose to [B,H,T,Dh]", randomArgs(r, 1, 4, 2, 3, false, 1.5)),
    mha("the output projection Wo mixes the heads: out = concat(heads) @ Wo", randomArgs(r, 1, 3, 2, 2, true, 1.5)),
    mha("scores scaled by 1/sqrt(Dh) = 1/sqrt(D/H), not 1/sqrt(D): D = 8, H = 4", randomArgs(r, 1, 5, 4, 2, false, 2)),
    mha("large activations (scores near 1e3): subtract the row max before exp", randomArgs(r, 1, 4, 2, 4, true, 40)),
    mha("T = 1: a token attends only to itself, out = (x Wv) Wo", randomArgs(r, 2, 1, 2, 3, true)),
    mha("H = 1: a single head of width D", randomArgs(r, 1, 4, 1, 5, true)),
    mha("causal = false: every token sees the whole sequence", randomArgs(r, 1, 4, 2, 2, false)),
    mha("B = 2: each sequence attends only within itself", randomArgs(r, 2, 3, 2, 2, true)),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 5; k++) {
    const B = rng.int(1, 2), T = rng.int(1, 7), H = rng.pick([1, 2, 3, 4]), Dh = rng.pick([1, 2, 4, 8]);
    const causal = rng.next() < 0.6;
    cases.push(mha(`x[${B},${T},${H * Dh}] H ${H} causal ${causal}`, randomArgs(rng, B, T, H, Dh, causal)));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write multi-head self-attention: project x to q, k, v with [D,D] weights, split D into H heads of width Dh = D/H, run scaled dot-product attention per head (causal or not), merge the heads and apply the output projection Wo.",
  functions: [
    {
      name: "multiHeadAttention",
      signature: "multiHeadAttention(x: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, Wo: Tensor, H: number, causal: boolean): Tensor",
      doc: "x is [B,T,D]; Wq, Wk, Wv, Wo are [D,D] ([in,out]: q = x @ Wq); out is [B,T,D]; causal masks keys j > i",
    },
  ],
  toleranceText: "atol 2e-5, rtol 1e-4",
  oracleText: "ONNX MatMul projections + Attention (opset 23, 3-D inputs, q_num_heads = kv_num_heads = H, is_causal), float64",
  hints: {
    nudge: "Compute q = x @ Wq, k = x @ Wk, v = x @ Wv as [B,T,D]. Head h of token t is the column block h*Dh .. h*Dh+Dh-1 of row (b,t): you can index it in place instead of building [B,H,T,Dh].",
    formula: "head_h = softmax(q_h k_h^T / sqrt(Dh) + mask) v_h with q_h = (x Wq)[:, :, h*Dh:(h+1)*Dh]; out = concat_h(head_h) @ Wo. The causal mask sets scores of keys j > i to -Infinity.",
    pseudocode: [
      "q, k, v = x@Wq, x@Wk, x@Wv                      # [B,T,D] each",
      "for b, h, i:",
      "  for j in 0..(causal ? i : T-1): s[j] = dot(q[b,i,h*Dh:], k[b,j,h*Dh:]) / sqrt(Dh)",
      "  p = softmax(s)                                 # subtract the max",
      "  heads[b,i,h*Dh+e] = sum_j p[j] * v[b,j,h*Dh+e]",
      "return heads @ Wo",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const H = arg<number>(c, "H"), causal = arg<boolean>(c, "causal");
    const feeds = { x: arg<Tensor>(c, "x"), Wq: arg<Tensor>(c, "Wq"), Wk: arg<Tensor>(c, "Wk"), Wv: arg<Tensor>(c, "Wv"), Wo: arg<Tensor>(c, "Wo") };
    return (await ort.run(mhaModel(H, causal), feeds)).y!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
