// 020 rope: cases, oracle, hints and known mistakes.
import { arg, f32, mkCase, model, TO_DOUBLE } from "../../src/core/spec-kit.ts";
import { intTensor, tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Graph } from "../../src/onnx/graph.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

// tables are cos/sin of float64 angles stored as float32; applying is a float32 rotation
// (ORT's RotaryEmbedding has no double kernel, so the oracle itself rounds to float32: ~3 ulp of |x|)
const TOL_TABLES: TolMap = { "*": { atol: 1e-6, rtol: 1e-5 } };
const TOL_APPLY: TolMap = { "*": { atol: 1e-5, rtol: 1e-5 } };
const TO_INT64 = 7;
const dbl = (g: Graph, v: string) => g.op1("Cast", [v], { to: TO_DOUBLE });

// ropeTables oracle (ONNX has no table op; RotaryEmbedding takes the tables as inputs): a float64 graph
// inv_freq = Pow(base, -2 * Range(0, Dh/2) / Dh); angles = Range(offset, offset + T)[:, None] * inv_freq[None, :]
const tablesModel = model("020/rope-tables", (g) => {
  const half = dbl(g, g.input("half", "int32"));
  const dh = dbl(g, g.input("dh", "int32"));
  const offset = dbl(g, g.input("offset", "int32"));
  const end = g.op1("Add", [offset, dbl(g, g.input("t", "int32"))]);
  const one = g.scalar(1, "float64");
  const zero = g.scalar(0, "float64");
  const i = g.op1("Range", [zero, half, one]);
  const expo = g.op1("Div", [g.op1("Mul", [i, g.scalar(-2, "float64")]), dh]);
  const invFreq = g.op1("Pow", [dbl(g, g.input("base")), expo]);
  const pos = g.op1("Unsqueeze", [g.op1("Range", [offset, end, one]), g.constant([1], [1])]);
  const angles = g.op1("Mul", [pos, g.op1("Unsqueeze", [invFreq, g.constant([0], [1])])]);
  g.output(f32(g, g.op1("Cos", [angles])), "cos");
  g.output(f32(g, g.op1("Sin", [angles])), "sin");
});

// applyRope oracles: ONNX RotaryEmbedding (opset 23) on x [B, H, T, Dh] with 2-D caches [T, Dh/2]
// and position_ids [B, T] = 0..T-1 (the caches have exactly T rows). interleaved = 0 is the half-split
// (rotate_half) layout, interleaved = 1 rotates the pairs (2i, 2i+1): checked by rotating one-hot
// vectors (e0 -> e_{Dh/2} at 90 degrees for interleaved 0, e0 -> e1 for interleaved 1).
const ropeModel = (interleaved: 0 | 1) =>
  model(`020/rotary-embedding-${interleaved}`, (g) => {
    const pos = g.op1("Cast", [g.input("pos", "int32")], { to: TO_INT64 });
    g.output(g.op1("RotaryEmbedding", [g.input("x"), g.input("cos"), g.input("sin"), pos], { interleaved }), "y");
  });
const halfSplitModel = ropeModel(0);
const interleavedModel = ropeModel(1);

const X = (data: number[], shape: number[]) => tensor(data, shape);
const tables = (T: number, Dh: number, base = 10000, offset = 0) => reference.ropeTables(T, Dh, base, offset);
const ramp = (shape: number[], scale = 0.25) => X(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (((i * 5) % 9) - 4) * scale), shape);

function applyArgs(x: Tensor, T: number, Dh: number, base = 10000, offset = 0) {
  const { cos, sin } = tables(T, Dh, base, offset);
  return { x, cos, sin };
}

function fixtureCases(): Case[] {
  const worked = X([1, 2, 3, 4, 1, 2, 3, 4], [1, 1, 2, 4]);
  return [
    mkCase("worked example: half-split RoPE on x[1,1,2,4], positions 0 and 1, base 10000", "applyRope", applyArgs(worked, 2, 4), TOL_APPLY),
    mkCase("tables for T = 3, Dh = 4: theta = [1, 0.01], angle = position * theta", "ropeTables", { T: 3, Dh: 4, base: 10000, offset: 0 }, TOL_TABLES),
    mkCase("interleaved RoPE on the same input: pairs (0,1) and (2,3) instead of (0,2) and (1,3)", "applyRopeInterleaved", applyArgs(worked, 2, 4), TOL_APPLY),
    mkCase("decoding at offset 5: the one table row is position 5, not 0", "ropeTables", { T: 1, Dh: 8, base: 10000, offset: 5 }, TOL_TABLES),
    mkCase("theta_i = base^(-2i/Dh): Dh = 8 reaches 10000^(-3/4) = 0.001", "ropeTables", { T: 4, Dh: 8, base: 10000, offset: 0 }, TOL_TABLES),
    mkCase("Llama 3 base 500000 at offset 3", "ropeTables", { T: 2, Dh: 6, base: 500000, offset: 3 }, TOL_TABLES),
    mkCase("long context: offset 4095 with Dh = 64, angles up to 4097 rad: compute them in float64 (float32 numbers near 3000 are 2.4e-4 apart)", "ropeTables", { T: 3, Dh: 64, base: 10000, offset: 4095 }, TOL_TABLES),
    mkCase("half-split on [2,2,3,8] with tables at offset 4 (a decoded chunk)", "applyRope", applyArgs(ramp([2, 2, 3, 8]), 3, 8, 10000, 4), TOL_APPLY),
    mkCase("interleaved on [1,2,3,6] with tables at offset 2", "applyRopeInterleaved", applyArgs(ramp([1, 2, 3, 6], 0.5), 3, 6, 10000, 2), TOL_APPLY),
    mkCase("Dh = 2: one frequency, the two layouts coincide", "applyRope", applyArgs(X([1, -1, 0.5, 2, 3, 0], [1, 1, 3, 2]), 3, 2), TOL_APPLY),
    mkCase("T = 1 decode step at position 9 (tables from offset 9)", "applyRope", applyArgs(ramp([1, 3, 1, 8], 0.5), 1, 8, 10000, 9), TOL_APPLY),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 2; k++) {
    const T = rng.int(1, 8), Dh = rng.pick([2, 4, 8, 16, 32, 64]), base = rng.pick([10000, 500000, 100]), offset = rng.pick([0, rng.int(1, 200)]);
    cases.push(mkCase(`ropeTables T ${T} Dh ${Dh} base ${base} offset ${offset}`, "ropeTables", { T, Dh, base, offset }, TOL_TABLES));
  }
  for (const fn of ["applyRope", "applyRope", "applyRopeInterleaved", "applyRopeInterleaved"]) {
    const B = rng.int(1, 2), H = rng.int(1, 3), T = rng.int(1, 6), Dh = rng.pick([2, 4, 8, 16, 32]);
    const offset = rng.pick([0, rng.int(1, 50)]);
    cases.push(mkCase(`${fn} x[${B},${H},${T},${Dh}] offset ${offset}`, fn, applyArgs(rng.tensor([B, H, T, Dh], 1.5), T, Dh, 10000, offset), TOL_APPLY));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write rotary position embeddings: the cos/sin tables for T positions starting at an offset (theta_i = base^(-2i/Dh)), and the rotation of a [B,H,T,Dh] tensor in both layouts: half-split (rotate_half, Hugging Face's Llama) and interleaved pairs (GPT-J, Meta's original Llama).",
  functions: [
    { name: "ropeTables", signature: "ropeTables(T: number, Dh: number, base: number, offset: number): { cos: Tensor; sin: Tensor }", doc: "cos and sin are [T, Dh/2]; row t, column i = cos/sin((offset + t) * base^(-2i/Dh))" },
    { name: "applyRope", signature: "applyRope(x: Tensor, cos: Tensor, sin: Tensor): Tensor", doc: "x is [B, H, T, Dh], cos and sin are [T, Dh/2] (exactly T rows); out is [B, H, T, Dh]; pairs (i, i + Dh/2)" },
    { name: "applyRopeInterleaved", signature: "applyRopeInterleaved(x: Tensor, cos: Tensor, sin: Tensor): Tensor", doc: "same shapes as applyRope; pairs (2i, 2i+1)" },
  ],
  toleranceText: "ropeTables: atol 1e-6, rtol 1e-5; applyRope and applyRopeInterleaved: atol 1e-5, rtol 1e-5",
  oracleText: "ONNX RotaryEmbedding (opset 23, interleaved 0 and 1, float32: ORT has no double kernel) with position_ids 0..T-1; tables: float64 graph Pow, Range, Mul, Cos, Sin",
  hints: {
    nudge: "Treat each pair of coordinates as a complex number and multiply it by e^(i * angle). Which two coordinates form a pair differs between the two layouts.",
    formula: "theta_i = base^(-2i/Dh), i = 0..Dh/2-1; angle(t, i) = (offset + t) * theta_i. For a pair (a, b): a' = a cos - b sin, b' = b cos + a sin. Half-split: (a, b) = (x[i], x[i + Dh/2]). Interleaved: (a, b) = (x[2i], x[2i+1]).",
    pseudocode: [
      "tables: for t < T, i < Dh/2: ang = (offset + t) * base^(-2*i/Dh); cos[t*half+i] = cos(ang); sin[...] = sin(ang)",
      "apply: for each row (b, h, t) at o = ((b*H + h)*T + t)*Dh, for i < half:",
      "  c = cos[t*half+i]; s = sin[t*half+i]",
      "  half-split:  a = x[o+i],   b = x[o+i+half];  out[o+i]   = a*c - b*s; out[o+i+half] = b*c + a*s",
      "  interleaved: a = x[o+2i],  b = x[o+2i+1];    out[o+2i]  = a*c - b*s; out[o+2i+1]   = b*c + a*s",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    if (c.fn === "ropeTables") {
      const T = arg<number>(c, "T"), Dh = arg<number>(c, "Dh");
      const s = (v: number) => intTensor([v], []);
      const out = await ort.run(tablesModel, { half: s(Dh / 2), dh: s(Dh), offset: s(arg<number>(c, "offset")), t: s(T), base: tensor([arg<number>(c, "base")], []) });
      return { cos: out.cos!, sin: out.sin! };
    }
    const x = arg<Tensor>(c, "x");
    const [B, , T] = x.shape as [number, number, number, number];
    const pos = intTensor(Array.from({ length: B * T }, (_, k) => k % T), [B, T]);
    const m = c.fn === "applyRope" ? halfSplitModel : interleavedModel;
    return (await ort.run(m, { x, cos: arg<Tensor>(c, "cos"), sin: arg<Tensor>(c, "sin"), pos })).y!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
