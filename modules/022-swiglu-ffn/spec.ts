// 022 SwiGLU feed-forward network: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

// two reductions (over D, then over F <= 64), float32 storage of the hidden vector
const TOL: TolMap = { "*": { atol: 2e-5, rtol: 1e-5 } };
const EXACT: TolMap = { "*": { atol: 0, rtol: 0 } };

// oracle: MatMul, Sigmoid, Mul in float64 (silu(g) = g * Sigmoid(g); Swish arrives only in opset 24)
const swigluModel = model("022/swiglu", (g) => {
  const x = f64(g, g.input("x"));
  const gate = g.op1("MatMul", [x, f64(g, g.input("Wgate"))]);
  const up = g.op1("MatMul", [x, f64(g, g.input("Wup"))]);
  const hidden = g.op1("Mul", [g.op1("Mul", [gate, g.op1("Sigmoid", [gate])]), up]);
  g.output(f32(g, g.op1("MatMul", [hidden, f64(g, g.input("Wdown"))])), "y");
});
// oracle for the hidden size, as Llama's Python writes it: h = int(2 * 4D / 3); multiple_of * ceil(h / multiple_of)
const hiddenModel = model("022/hidden-dim", (g) => {
  const D = f64(g, g.input("D"));
  const m = f64(g, g.input("m"));
  const h = g.op1("Floor", [g.op1("Div", [g.op1("Mul", [D, g.scalar(8, "float64")]), g.scalar(3, "float64")])]);
  g.output(f32(g, g.op1("Mul", [g.op1("Ceil", [g.op1("Div", [h, m])]), m])), "y");
});

const X = (data: number[], shape: number[]) => tensor(data, shape);

interface Args { x: Tensor; Wgate: Tensor; Wup: Tensor; Wdown: Tensor }
const sw = (name: string, a: Args) => mkCase(name, "swiglu", { ...a }, TOL);
const hid = (name: string, D: number, multipleOf: number) => mkCase(name, "swigluHiddenDim", { D, multipleOf }, EXACT);

function randomArgs(rng: Rng, lead: number[], D: number, F: number, xScale = 1): Args {
  return {
    x: rng.tensor([...lead, D], xScale),
    Wgate: rng.tensor([D, F], 1 / Math.sqrt(D)),
    Wup: rng.tensor([D, F], 1 / Math.sqrt(D)),
    Wdown: rng.tensor([F, D], 1 / Math.sqrt(F)),
  };
}

function fixtureCases(): Case[] {
  const r = new Rng(22);
  return [
    sw("worked example: x [2,3], D = 3, F = 4", {
      x: X([1, -1, 0.5, 0, 2, -1], [2, 3]),
      Wgate: X([1, 0, -1, 0.5, 0, 1, 0.5, -1, 0.5, -0.5, 0, 1], [3, 4]),
      Wup: X([0.5, 1, 0, -0.5, 1, 0, 0.5, 0, 0, 0.5, 1, 1], [3, 4]),
      Wdown: X([1, 0, 0.5, 0, 1, -0.5, -1, 0, 1, 0.5, 0.5, 0], [4, 3]),
    }),
    sw("SiLU gates x Wgate; the up branch x Wup stays linear", randomArgs(r, [2], 4, 8, 1.5)),
    sw("gate pre-activations +-800: silu(800) = 800, silu(-800) = 0, never NaN", {
      x: X([800, -800, 3, -3], [2, 2]),
      Wgate: X([1, 0, 0, 1], [2, 2]),
      Wup: X([0.001, 0, 0, 0.001], [2, 2]),
      Wdown: X([1, 0.5, 0, 1], [2, 2]),
    }),
    sw("3-D input [B,T,D]: every position independently", randomArgs(r, [2, 3], 4, 12, 1.5)),
    sw("1-D input [D]: a single token", randomArgs(r, [], 6, 16, 1.5)),
    hid("hidden size for Llama 7B: D = 4096, multipleOf = 256 -> floor(8·4096/3) = 10922 rounded UP to 11008", 4096, 256),
    hid("hidden size for Llama 13B: D = 5120, multipleOf = 256 -> 13824", 5120, 256),
    hid("a hidden size already a multiple stays: D = 3, multipleOf = 8 -> 8, not 16", 3, 8),
    hid("floor before rounding up: D = 4, multipleOf = 5 -> floor(10.67) = 10, not 15", 4, 5),
    hid("multipleOf = 1 leaves h = floor(8D/3): D = 10 -> 26", 10, 1),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 4; k++) {
    const rank = rng.int(1, 3);
    const lead = Array.from({ length: rank - 1 }, () => rng.int(1, 4));
    const D = rng.pick([1, 2, 4, 8, 12]);
    const F = rng.pick([rng.int(1, 16), Math.min(48, 8 * Math.ceil((8 * D) / 3 / 8))]);
    const s = rng.pick([1, 2, 3]);
    cases.push(sw(`x[${[...lead, D]}] F ${F} scale ${s}`, randomArgs(rng, lead, D, F, s)));
  }
  for (let k = 0; k < 2; k++) {
    const D = rng.pick([rng.int(1, 100), 64 * rng.int(1, 128), 128 * rng.int(1, 64)]);
    const m = rng.pick([1, 3, 7, 32, 64, 256, 1024]);
    cases.push(hid(`swigluHiddenDim(${D}, ${m})`, D, m));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write Llama's SwiGLU feed-forward block, out = (silu(x @ Wgate) * (x @ Wup)) @ Wdown for every row of x (any rank), and swigluHiddenDim, Llama's rule for the hidden size: h = floor(2·4D/3), rounded up to a multiple of multipleOf.",
  functions: [
    {
      name: "swiglu",
      signature: "swiglu(x: Tensor, Wgate: Tensor, Wup: Tensor, Wdown: Tensor): Tensor",
      doc: "x is [..., D]; Wgate, Wup are [D,F]; Wdown is [F,D] ([in,out], no biases); out is [..., D]; silu(u) = u * sigmoid(u)",
    },
    {
      name: "swigluHiddenDim",
      signature: "swigluHiddenDim(D: number, multipleOf: number): number",
      doc: "h = floor(2 * 4D / 3), then rounded UP to a multiple of multipleOf (D = 4096, 256 -> 11008)",
    },
  ],
  toleranceText: "swiglu: atol 2e-5, rtol 1e-5; swigluHiddenDim: exact",
  oracleText: "ONNX MatMul, Sigmoid, Mul (silu = g * Sigmoid(g)), float64; hidden size: ONNX Floor, Div, Ceil, Mul graph of Llama's rule",
  hints: {
    nudge: "Per row of x: two dot products per hidden unit f (gate g and up u), hidden[f] = silu(g) * u, then the output row = hidden @ Wdown. For the hidden size, take the floor before rounding up.",
    formula: "silu(g) = g * sigmoid(g) = g / (1 + exp(-g)). out = (silu(x Wgate) ⊙ (x Wup)) Wdown. swigluHiddenDim: h = floor(8D/3); return m * ceil(h / m).",
    pseudocode: [
      "for each row r:",
      "  for f: g = sum_i x[r,i] Wgate[i,f]; u = sum_i x[r,i] Wup[i,f]; h[f] = g / (1 + exp(-g)) * u",
      "  for o: out[r,o] = sum_f h[f] * Wdown[f,o]",
      "hiddenDim: h = floor(2*4*D/3); return multipleOf * ceil(h / multipleOf)",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    if (c.fn === "swigluHiddenDim") {
      const D = arg<number>(c, "D"), m = arg<number>(c, "multipleOf");
      const y = (await ort.run(hiddenModel, { D: tensor([D], []), m: tensor([m], []) })).y!;
      return y.data[0]!;
    }
    const feeds = { x: arg<Tensor>(c, "x"), Wgate: arg<Tensor>(c, "Wgate"), Wup: arg<Tensor>(c, "Wup"), Wdown: arg<Tensor>(c, "Wdown") };
    return (await ort.run(swigluModel, feeds)).y!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
