// 021 feed-forward network (GPT-2 MLP): cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

// below 1e-4 so that exact GELU (off by up to 4.7e-4 per unit) is caught; two reductions over D and F <= 64
const TOL: TolMap = { "*": { atol: 2e-5, rtol: 1e-5 } };

// oracle: MatMul and Add in float64, ONNX Gelu(approximate = "tanh") in float32 (ORT has no float64 Gelu kernel)
const mlpModel = model("021/mlp", (g) => {
  const pre = g.op1("Add", [g.op1("MatMul", [f64(g, g.input("x")), f64(g, g.input("W1"))]), f64(g, g.input("b1"))]);
  const act = f64(g, g.op1("Gelu", [f32(g, pre)], { approximate: "tanh" }));
  const out = g.op1("Add", [g.op1("MatMul", [act, f64(g, g.input("W2"))]), f64(g, g.input("b2"))]);
  g.output(f32(g, out), "y");
});

const X = (data: number[], shape: number[]) => tensor(data, shape);

interface Args { x: Tensor; W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor }
const mlp = (name: string, a: Args) => mkCase(name, "mlp", { ...a }, TOL);

function randomArgs(rng: Rng, lead: number[], D: number, F: number, xScale = 1): Args {
  return {
    x: rng.tensor([...lead, D], xScale),
    W1: rng.tensor([D, F], 1 / Math.sqrt(D)),
    b1: rng.tensor([F], 0.5),
    W2: rng.tensor([F, D], 1 / Math.sqrt(F)),
    b2: rng.tensor([D], 0.5),
  };
}

function fixtureCases(): Case[] {
  const r = new Rng(21);
  const eye = (n: number) => X(Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), [n, n]);
  return [
    mlp("worked example: x [2,3], D = 3, F = 4", {
      x: X([1, -1, 0.5, 0, 2, -1], [2, 3]),
      W1: X([1, 0, -1, 0.5, 0, 1, 0.5, -1, 0.5, -0.5, 0, 1], [3, 4]),
      b1: X([0, 0.5, -0.5, 0], [4]),
      W2: X([1, 0, 0.5, 0, 1, -0.5, -1, 0, 1, 0.5, 0.5, 0], [4, 3]),
      b2: X([0, 0.1, -0.1], [3]),
    }),
    mlp("GELU in GPT-2's tanh form, not exact erf: pre-activations near +-2.7 where the two differ by 4.7e-4", {
      x: X([2.7, -2.7, 3, -3, 2.5, -2.2, 1.5, -1.5], [2, 4]),
      W1: eye(4),
      b1: X([0, 0, 0, 0], [4]),
      W2: X([1, 0.5, 0, 0, 1, -0.5, 0, 0, 1, 0.5, 0, 0, 1, -0.5, 0, 0], [4, 4]),
      b2: X([0, 0, 0, 0], [4]),
    }),
    mlp("large pre-activations (+-30, +-12): tanh saturates to +-1, GELU(30) = 30, GELU(-30) = 0", {
      x: X([30, -30, 12, -12], [2, 2]),
      W1: eye(2),
      b1: X([0, 0], [2]),
      W2: X([1, 0.5, -1, 2], [2, 2]),
      b2: X([0, 0], [2]),
    }),
    mlp("the bias b1 goes inside: gelu(x W1 + b1)", { ...randomArgs(r, [3], 4, 8), b1: r.tensor([8], 2) }),
    mlp("3-D input [B,T,D]: the MLP acts on every position independently", randomArgs(r, [2, 3], 4, 16, 1.5)),
    mlp("1-D input [D]: a single token", randomArgs(r, [], 6, 24, 1.5)),
    mlp("F = 4D as in GPT-2: D = 8, F = 32", randomArgs(r, [2, 2], 8, 32, 2)),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 5; k++) {
    const rank = rng.int(1, 3);
    const lead = Array.from({ length: rank - 1 }, () => rng.int(1, 4));
    const D = rng.pick([1, 2, 4, 8, 16]);
    const F = rng.pick([4 * D, rng.int(1, 48)]);
    const s = rng.pick([1, 2, 3]);
    cases.push(mlp(`x[${[...lead, D]}] F ${F} scale ${s}`, randomArgs(rng, lead, D, F, s)));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write the GPT-2 feed-forward block: out = geluTanh(x @ W1 + b1) @ W2 + b2 applied to every row of x (any rank), with GELU in its tanh form 0.5·x·(1 + tanh(sqrt(2/pi)·(x + 0.044715·x^3))).",
  functions: [
    {
      name: "mlp",
      signature: "mlp(x: Tensor, W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor): Tensor",
      doc: "x is [..., D]; W1 [D,F], b1 [F], W2 [F,D], b2 [D] ([in,out]); out is [..., D]; GELU is the tanh form (GPT-2)",
    },
  ],
  toleranceText: "atol 2e-5, rtol 1e-5 (below the 4.7e-4 gap between exact and tanh GELU)",
  oracleText: "ONNX MatMul and Add (float64) around Gelu with approximate = \"tanh\" (float32: ORT has no float64 Gelu)",
  hints: {
    nudge: "Treat x as N = x.data.length / D rows. For each row: a [F] hidden vector = gelu(row @ W1 + b1), then the output row = hidden @ W2 + b2.",
    formula: "geluTanh(u) = 0.5·u·(1 + tanh(sqrt(2/pi)·(u + 0.044715·u^3))). out = geluTanh(x W1 + b1) W2 + b2. Use Math.tanh: it saturates to +-1 instead of overflowing.",
    pseudocode: [
      "for each row r:",
      "  for f in 0..F-1: h[f] = geluTanh(b1[f] + sum_i x[r,i] * W1[i,f])",
      "  for o in 0..D-1: out[r,o] = b2[o] + sum_f h[f] * W2[f,o]",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const feeds = { x: arg<Tensor>(c, "x"), W1: arg<Tensor>(c, "W1"), b1: arg<Tensor>(c, "b1"), W2: arg<Tensor>(c, "W2"), b2: arg<Tensor>(c, "b2") };
    return (await ort.run(mlpModel, feeds)).y!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
