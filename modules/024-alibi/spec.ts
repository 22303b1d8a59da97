// 024 alibi: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model, TO_DOUBLE } from "../../src/core/spec-kit.ts";
import { intTensor, tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Graph } from "../../src/onnx/graph.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const TOL_SLOPES: TolMap = { "*": { atol: 1e-7, rtol: 1e-6 } };
const TOL_BIAS: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };
const TOL_ATTN: TolMap = { "*": { atol: 1e-5, rtol: 1e-5 } };

/**
 * The exponents e_h of the slopes 2^e_h, by the ALiBi authors' recursive get_slopes (ofirpress/attention_with_linear_biases,
 * also Hugging Face's BLOOM): a power of two n gives start * ratio^i with start = ratio = 2^(-8/n); otherwise the slopes of
 * the closest power of two below H, then get_slopes(2 * closest)[0::2][:H - closest]. Written independently of reference.ts.
 */
export function paperSlopeExponents(H: number): number[] {
  const pow2 = (n: number) => Array.from({ length: n }, (_, i) => (-8 / n) * (i + 1)); // log2(start * ratio^i)
  if (Number.isInteger(Math.log2(H))) return pow2(H);
  const closest = 2 ** Math.floor(Math.log2(H));
  return [...pow2(closest), ...paperSlopeExponents(2 * closest).filter((_, i) => i % 2 === 0).slice(0, H - closest)];
}
const slopesInput = (H: number) => tensor(paperSlopeExponents(H), [H]);

// slopes oracle: ONNX Pow(2, e_h) in float64 on the exponents of the authors' recursion
const slopesModel = model("024/alibi-slopes", (g) =>
  g.output(f32(g, g.op1("Pow", [g.scalar(2, "float64"), f64(g, g.input("e"))])), "m"));

/** The ALiBi bias [H, Tq, Tk] in float64: -m_h * (i' - j) with i' = Tk - Tq + i, -Infinity where j > i'. */
function biasGraph(g: Graph): string {
  const dbl = (v: string) => g.op1("Cast", [v], { to: TO_DOUBLE });
  const tq = dbl(g.input("tq", "int32"));
  const tk = dbl(g.input("tk", "int32"));
  const one = g.scalar(1, "float64");
  const zero = g.scalar(0, "float64");
  const qpos = g.op1("Range", [g.op1("Sub", [tk, tq]), tk, one]); // absolute query positions [Tq]
  const kpos = g.op1("Range", [zero, tk, one]); // [Tk]
  const dist = g.op1("Sub", [g.op1("Unsqueeze", [qpos, g.constant([1], [1])]), g.op1("Unsqueeze", [kpos, g.constant([0], [1])])]); // [Tq, Tk]
  const slopes = g.op1("Unsqueeze", [g.op1("Pow", [g.scalar(2, "float64"), f64(g, g.input("e"))]), g.constant([1, 2], [2])]); // [H, 1, 1]
  const bias = g.op1("Neg", [g.op1("Mul", [slopes, dist])]); // [H, Tq, Tk]
  return g.op1("Where", [g.op1("Less", [dist, zero]), g.scalar(-Infinity, "float64"), bias]);
}

const biasModel = model("024/alibi-bias", (g) => g.output(f32(g, biasGraph(g)), "bias"));

// attention oracle: ONNX Attention (opset 23, float64, scale 1/sqrt(Dh) by default) with the bias as a float
// additive mask [1, H, Tq, Tk]; its -Infinity entries are the causal mask (bottom-right), so is_causal stays 0
const attentionModel = model("024/alibi-attention", (g) => {
  const mask = g.op1("Unsqueeze", [biasGraph(g), g.constant([0], [1])]);
  const [y] = g.op("Attention", [f64(g, g.input("q")), f64(g, g.input("k")), f64(g, g.input("v")), mask], {}, 1);
  g.output(f32(g, y!), "y");
});

const X = (data: number[], shape: number[]) => tensor(data, shape);
const ramp = (shape: number[], scale: number, mod = 7) => X(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (((i * 3) % mod) - (mod - 1) / 2) * scale), shape);

function qkv(B: number, H: number, Tq: number, Tk: number, Dh: number) {
  return { q: ramp([B, H, Tq, Dh], 0.5), k: ramp([B, H, Tk, Dh], 0.4, 5), v: ramp([B, H, Tk, Dh], 1, 9) };
}

function fixtureCases(): Case[] {
  return [
    mkCase("worked example: bias for H = 2, Tq = Tk = 3 (slopes 1/16 and 1/256)", "alibiBias", { H: 2, Tq: 3, Tk: 3 }, TOL_BIAS),
    mkCase("the bias is a penalty: -m(i'-j) <= 0 (a + sign rewards distant keys)", "alibiBias", { H: 4, Tq: 4, Tk: 4 }, TOL_BIAS),
    mkCase("slopes for H = 8 (a power of two): 1/2, 1/4, ..., 1/256", "alibiSlopes", { H: 8 }, TOL_SLOPES),
    mkCase("slopes for H = 6 (not a power of two): the 4-head slopes, then 1/2 and 1/8 from the 8-head set", "alibiSlopes", { H: 6 }, TOL_SLOPES),
    mkCase("slopes for H = 12: the 8-head slopes, then the odd-numbered slopes of the 16-head set", "alibiSlopes", { H: 12 }, TOL_SLOPES),
    mkCase("slopes for H = 1: 1/256", "alibiSlopes", { H: 1 }, TOL_SLOPES),
    mkCase("slopes for H = 16", "alibiSlopes", { H: 16 }, TOL_SLOPES),
    mkCase("decoding one token (Tq = 1, Tk = 5): it sits at position 4 and sees every key", "alibiBias", { H: 4, Tq: 1, Tk: 5 }, TOL_BIAS),
    mkCase("bias for H = 6 with a cache (Tq = 2, Tk = 4): bottom-right, non-power-of-two slopes", "alibiBias", { H: 6, Tq: 2, Tk: 4 }, TOL_BIAS),
    mkCase("the bias shifts the scores before softmax, not the probabilities", "alibiAttention", qkv(1, 4, 4, 4, 4), TOL_ATTN),
    mkCase("attention: scores / sqrt(Dh) + bias, then softmax (H = 2, T = 3, Dh = 4)", "alibiAttention", qkv(1, 2, 3, 3, 4), TOL_ATTN),
    mkCase("attention with H = 6 heads while decoding (Tq = 2, Tk = 5)", "alibiAttention", qkv(2, 6, 2, 5, 4), TOL_ATTN),
    mkCase("attention with H = 12, one query over 8 keys (the steep heads look only at recent keys)", "alibiAttention", qkv(1, 12, 1, 8, 2), TOL_ATTN),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const heads = [1, 2, 3, 4, 5, 6, 8, 12, 16];
  cases.push(mkCase("alibiSlopes random H", "alibiSlopes", { H: rng.int(1, 32) }, TOL_SLOPES));
  for (let k = 0; k < 2; k++) {
    const H = rng.pick(heads), Tk = rng.int(1, 10), Tq = rng.int(1, Tk);
    cases.push(mkCase(`alibiBias H ${H} Tq ${Tq} Tk ${Tk}`, "alibiBias", { H, Tq, Tk }, TOL_BIAS));
  }
  for (let k = 0; k < 3; k++) {
    const B = rng.int(1, 2), H = rng.pick(heads), Tk = rng.int(1, 8), Tq = rng.pick([1, Tk, rng.int(1, Tk)]), Dh = rng.pick([2, 4, 8, 16]), Dv = rng.pick([Dh, rng.int(1, 8)]);
    cases.push(mkCase(`alibiAttention B ${B} H ${H} Tq ${Tq} Tk ${Tk} Dh ${Dh} Dv ${Dv}`, "alibiAttention", {
      q: rng.tensor([B, H, Tq, Dh]), k: rng.tensor([B, H, Tk, Dh]), v: rng.tensor([B, H, Tk, Dv]),
    }, TOL_ATTN));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write ALiBi: the per-head slopes by the paper's rule (including head counts that are not a power of two), the bias tensor -m_h * (i' - j) with -Infinity for future keys (bottom-right aligned), and causal attention with that bias added to the scaled scores.",
  functions: [
    { name: "alibiSlopes", signature: "alibiSlopes(H: number): Tensor", doc: "out is [H]; 2^(-8(h+1)/n) for the largest power of two n <= H, then the odd-numbered slopes of 2n for the rest" },
    { name: "alibiBias", signature: "alibiBias(H: number, Tq: number, Tk: number): Tensor", doc: "out is [H, Tq, Tk]; -m_h * (i' - j) for j <= i' = Tk - Tq + i, -Infinity for j > i'" },
    { name: "alibiAttention", signature: "alibiAttention(q: Tensor, k: Tensor, v: Tensor): Tensor", doc: "q is [B, H, Tq, Dh], k is [B, H, Tk, Dh], v is [B, H, Tk, Dv]; out is [B, H, Tq, Dv] = softmax(q k^T / sqrt(Dh) + bias) v" },
  ],
  toleranceText: "alibiSlopes: atol 1e-7, rtol 1e-6; alibiBias: atol 1e-6, rtol 1e-5 (-Infinity exactly); alibiAttention: atol 1e-5, rtol 1e-5",
  oracleText: "ONNX graph: bias from Range, Sub, Mul, Where (float64) fed as the float additive mask of ONNX Attention (opset 23, float64); slopes: ONNX Pow(2, e_h) on the exponents of the ALiBi authors' recursive get_slopes",
  hints: {
    nudge: "Start with H = 8 and write the slopes as powers of two (1/2 ... 1/256); then work out H = 6, which is not a power of two: which 4 slopes, and which 2 more? Bias and attention come after.",
    formula: "n = 2^floor(log2 H); m_h = 2^(-8(h+1)/n) for h < n, m_h = 2^(-8(2(h-n)+1)/(2n)) for h >= n. bias[h, i, j] = -m_h * (i' - j) for j <= i' = Tk - Tq + i, else -Infinity. out = softmax_j(q_i . k_j / sqrt(Dh) + bias[h, i, j]) @ v.",
    pseudocode: [
      "slopes: n = 1; while 2n <= H: n *= 2; h < n: 2^(-8(h+1)/n); h >= n: 2^(-8(2(h-n)+1)/(2n))",
      "bias: for h, i, j: p = Tk - Tq + i; b = j <= p ? -m[h] * (p - j) : -Infinity",
      "attention: for each (b, h, i): s_j = dot(q_i, k_j) / sqrt(Dh) + bias[h, i, j]",
      "           p = softmax(s) (subtract the max); out_i = sum_j p_j v_j",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    if (c.fn === "alibiSlopes") return (await ort.run(slopesModel, { e: slopesInput(arg<number>(c, "H")) })).m!;
    if (c.fn === "alibiBias") {
      const H = arg<number>(c, "H");
      return (await ort.run(biasModel, { e: slopesInput(H), tq: intTensor([arg<number>(c, "Tq")], []), tk: intTensor([arg<number>(c, "Tk")], []) })).bias!;
    }
    const q = arg<Tensor>(c, "q"), k = arg<Tensor>(c, "k"), v = arg<Tensor>(c, "v");
    const feeds = { q, k, v, e: slopesInput(q.shape[1]!), tq: intTensor([q.shape[2]!], []), tk: intTensor([k.shape[2]!], []) };
    return (await ort.run(attentionModel, feeds)).y!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
