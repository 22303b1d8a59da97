// 019 grouped-query attention: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, OracleModel, Tensor, TolMap } from "../../src/core/types.ts";
import { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

// three chained reductions (x @ W over D, weights @ v over T, heads @ Wo over H*Dh), float32 storage between
const TOL: TolMap = { "*": { atol: 2e-5, rtol: 1e-4 } };

// oracle: MatMul projections and ONNX Attention on 3-D inputs with q_num_heads = H, kv_num_heads = Hkv, float64.
// ONNX Attention maps query head h to kv head floor(h / (H/Hkv)) (checked in tests/attention-ops.test.ts).
const models = new Map<string, OracleModel>();
function gqaModel(H: number, Hkv: number, causal: boolean): OracleModel {
  const key = `019/gqa/H${H}/Hkv${Hkv}/causal${causal ? 1 : 0}`;
  let m = models.get(key);
  if (!m) {
    m = model(key, (g) => {
      const x = f64(g, g.input("x"));
      const proj = (w: string) => g.op1("MatMul", [x, f64(g, g.input(w))]);
      const att = g.op1("Attention", [proj("Wq"), proj("Wk"), proj("Wv")], { q_num_heads: H, kv_num_heads: Hkv, is_causal: causal ? 1 : 0 });
      g.output(f32(g, g.op1("MatMul", [att, f64(g, g.input("Wo"))])), "y");
    });
    models.set(key, m);
  }
  return m;
}

const X = (data: number[], shape: number[]) => tensor(data, shape);

interface Args { x: Tensor; Wq: Tensor; Wk: Tensor; Wv: Tensor; Wo: Tensor; H: number; Hkv: number; causal: boolean }
const gqa = (name: string, a: Args) => mkCase(name, "groupedQueryAttention", { ...a }, TOL);

/** Random case: x ~ N(0, s^2), weights ~ N(0, 1/fan_in) so activations stay O(1). */
function randomArgs(rng: Rng, B: number, T: number, D: number, H: number, Hkv: number, Dh: number, causal: boolean, xScale = 1): Args {
  const w = (i: number, o: number) => rng.tensor([i, o], 1 / Math.sqrt(i));
  return { x: rng.tensor([B, T, D], xScale), Wq: w(D, H * Dh), Wk: w(D, Hkv * Dh), Wv: w(D, Hkv * Dh), Wo: w(H * Dh, D), H, Hkv, causal };
}

function fixtureCases(): Case[] {
  const r = new Rng(19);
  return [
    gqa("worked example: B = 1, T = 3, D = 4, H = 4 query heads, Hkv = 2 kv heads, Dh = 1, causal", {
      x: X([1, 0, -1, 0.5, 0, 1, 0.5, -1, 1, 1, 0, 0], [1, 3, 4]),
      Wq: X([1, 0, 0.5, 0, 0, 1, 0, 0.5, 0.5, 0, 1, 0, 0, -0.5, 0, 1], [4, 4]),
      Wk: X([1, 0, 0, 1, 0.5, 0.5, 0, -1], [4, 2]),
      Wv: X([1, 0, 0, 1, 0, 0.5, 0.5, 0], [4, 2]),
      Wo: X([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], [4, 4]),
      H: 4,
      Hkv: 2,
      causal: true,
    }),
    gqa("query head h reads kv head floor(h / (H/Hkv)) (repeat_interleave), not h % Hkv: H = 4, Hkv = 2", randomArgs(r, 1, 4, 8, 4, 2, 2, false, 1.5)),
    gqa("the group size is H/Hkv: H = 8, Hkv = 4, so head 5 reads kv head 2", randomArgs(r, 1, 4, 8, 8, 4, 2, true, 1.5)),
    gqa("Hkv = 1 is multi-query attention: all 4 query heads share one k and one v", randomArgs(r, 1, 4, 8, 4, 1, 2, true, 1.5)),
    gqa("Hkv = H is plain multi-head attention", randomArgs(r, 1, 4, 6, 3, 3, 2, true, 1.5)),
    gqa("head width independent of D: D = 6, H = 4, Dh = 2, so Wq is [6,8] and Wo is [8,6]", randomArgs(r, 1, 3, 6, 4, 2, 2, false, 1.5)),
    gqa("large activations (scores near 1e3): subtract the row max before exp", randomArgs(r, 1, 4, 8, 4, 2, 4, true, 40)),
    gqa("T = 1: a token attends only to itself", randomArgs(r, 2, 1, 4, 2, 1, 2, true)),
    gqa("causal = false: every token sees the whole sequence", randomArgs(r, 1, 5, 6, 6, 2, 1, false, 1.5)),
    gqa("B = 2: each sequence attends only within itself", randomArgs(r, 2, 3, 4, 4, 2, 2, true, 1.5)),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 5; k++) {
    const [H, Hkv] = rng.pick([[1, 1], [2, 1], [4, 1], [4, 2], [4, 4], [6, 2], [6, 3], [8, 2], [8, 4]] as const);
    const B = rng.int(1, 2), T = rng.int(1, 6), Dh = rng.pick([1, 2, 4]), D = rng.pick([4, 8, 12]);
    const causal = rng.next() < 0.6;
    cases.push(gqa(`x[${B},${T},${D}] H ${H} Hkv ${Hkv} Dh ${Dh} causal ${causal}`, randomArgs(rng, B, T, D, H, Hkv, Dh, causal)));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write grouped-query attention: H query heads and Hkv key/value heads (H divisible by Hkv) of width Dh; each group of G = H/Hkv consecutive query heads shares one kv head (query head h reads kv head floor(h / G)). Hkv = 1 is multi-query attention, Hkv = H is multi-head attention.",
  functions: [
    {
      name: "groupedQueryAttention",
      signature: "groupedQueryAttention(x: Tensor, Wq: Tensor, Wk: Tensor, Wv: Tensor, Wo: Tensor, H: number, Hkv: number, causal: boolean): Tensor",
      doc: "x is [B,T,D]; Wq [D,H*Dh], Wk and Wv [D,Hkv*Dh], Wo [H*Dh,D] ([in,out]); out is [B,T,D]; Dh = Wq.shape[1] / H",
    },
  ],
  toleranceText: "atol 2e-5, rtol 1e-4",
  oracleText: "ONNX MatMul projections + Attention (opset 23, 3-D inputs, q_num_heads = H, kv_num_heads = Hkv, is_causal), float64",
  hints: {
    nudge: "It is multi-head attention where k and v have fewer heads. Dh = Wq.shape[1] / H. For each query head h, work out which kv head it reads, then index k and v with that head's columns.",
    formula: "G = H / Hkv; query head h uses kv head g = floor(h / G). head_h = softmax(q_h k_g^T / sqrt(Dh) + mask) v_g; out = concat_h(head_h) @ Wo. Same as repeating each kv head G times in a row (repeat_interleave) and running MHA.",
    pseudocode: [
      "q = x@Wq [B,T,H*Dh]; k = x@Wk, v = x@Wv [B,T,Hkv*Dh]; G = H/Hkv",
      "for b, h, i:",
      "  g = floor(h / G)",
      "  for j in 0..(causal ? i : T-1): s[j] = dot(q[b,i,h*Dh:], k[b,j,g*Dh:]) / sqrt(Dh)",
      "  p = softmax(s); heads[b,i,h*Dh+e] = sum_j p[j] * v[b,j,g*Dh+e]",
      "return heads @ Wo",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const H = arg<number>(c, "H"), Hkv = arg<number>(c, "Hkv"), causal = arg<boolean>(c, "causal");
    const feeds = { x: arg<Tensor>(c, "x"), Wq: arg<Tensor>(c, "Wq"), Wk: arg<Tensor>(c, "Wk"), Wv: arg<Tensor>(c, "Wv"), Wo: arg<Tensor>(c, "Wo") };
    return (await ort.run(gqaModel(H, Hkv, causal), feeds)).y!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
