// 031 AdamW: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Case, ModuleBody, Tensor, TolMap, Value } from "../../src/core/types.ts";
import type { Rng } from "../../src/core/rng.ts";
import { scalar64, split64 } from "../028-greedy-temperature-sampling/sampling-oracle.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

type State = { m: Tensor; v: Tensor; t: number };
type Hp = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

// the learner computes in float64 and stores float32, as the oracle does: a few ulps of slack
const TOL: TolMap = {
  param: { atol: 1e-6, rtol: 1e-6 },
  "state.m": { atol: 1e-20, rtol: 1e-5 },
  "state.v": { atol: 1e-20, rtol: 1e-5 },
  "state.t": { atol: 0, rtol: 0 },
};

const DEFAULTS: Hp = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2 };

// oracle: the PyTorch AdamW update as an ONNX graph of elementwise ops in float64 (hyperparameters and t
// fed as float32 [hi, lo] pairs, exact to ~1e-15)
const adamwModel = model("031/adamw", (g) => {
  const p = f64(g, g.input("p_in"));
  const gr = f64(g, g.input("g_in"));
  const m = f64(g, g.input("m_in"));
  const v = f64(g, g.input("v_in"));
  const [t, lr, b1, b2, eps, wd] = ["t_in", "lr", "b1", "b2", "eps", "wd"].map((n) => scalar64(g, n)) as [string, string, string, string, string, string];
  const one = g.scalar(1, "float64");
  const step = g.op1("Add", [t, one]);
  const m1 = g.op1("Add", [g.op1("Mul", [b1, m]), g.op1("Mul", [g.op1("Sub", [one, b1]), gr])]);
  const v1 = g.op1("Add", [g.op1("Mul", [b2, v]), g.op1("Mul", [g.op1("Sub", [one, b2]), g.op1("Mul", [gr, gr])])]);
  const mHat = g.op1("Div", [m1, g.op1("Sub", [one, g.op1("Pow", [b1, step])])]);
  const vHat = g.op1("Div", [v1, g.op1("Sub", [one, g.op1("Pow", [b2, step])])]);
  const decayed = g.op1("Mul", [p, g.op1("Sub", [one, g.op1("Mul", [lr, wd])])]);
  const upd = g.op1("Div", [g.op1("Mul", [lr, mHat]), g.op1("Add", [g.op1("Sqrt", [vHat]), eps])]);
  g.output(f32(g, g.op1("Sub", [decayed, upd])), "param");
  g.output(f32(g, m1), "m");
  g.output(f32(g, v1), "v");
  g.output(f32(g, step), "t");
});

const X = (data: number[], shape = [data.length]) => tensor(data, shape);
const zeros = (shape: number[]) => tensor(new Array(shape.reduce((a, b) => a * b, 1)).fill(0), shape);
const fresh = (shape: number[]): State => ({ m: zeros(shape), v: zeros(shape), t: 0 });

function fixtureCases(): Case[] {
  const cases: Case[] = [];
  // three consecutive steps from a fresh state; each step's input state is the previous step's output
  let p = X([1, -0.5, 0.25, 2]);
  let s = fresh([4]);
  const grads = [X([0.1, -0.2, 0.4, 0]), X([0.3, -0.1, -0.2, 0.05]), X([-0.2, 0.1, 0.3, 0.1])];
  const names = [
    "worked example: step 1 from a fresh state (t = 0), default hyperparameters",
    "step 2, chained from step 1: bias corrections 1 - 0.9^2 and 1 - 0.999^2",
    "step 3, chained from step 2",
  ];
  for (let k = 0; k < 3; k++) {
    cases.push(mkCase(names[k]!, "adamwStep", { param: p, grad: grads[k]!, state: s, hp: DEFAULTS }, TOL));
    const next = reference.adamwStep(p, grads[k]!, s, DEFAULTS);
    p = next.param;
    s = next.state;
  }
  cases.push(mkCase("weight decay off: plain Adam, the parameter moves by lr * m_hat / (sqrt(v_hat) + eps) only", "adamwStep",
    { param: X([1, -0.5, 0.25, 2]), grad: X([0.1, -0.2, 0.4, 0]), state: fresh([4]), hp: { ...DEFAULTS, weightDecay: 0 } }, TOL));
  cases.push(mkCase("zero gradient, fresh state: decoupled decay alone shrinks p by 1 - lr * wd (lr 0.1, wd 0.1)", "adamwStep",
    { param: X([5, -5, 1]), grad: X([0, 0, 0]), state: fresh([3]), hp: { ...DEFAULTS, lr: 0.1, weightDecay: 0.1 } }, TOL));
  cases.push(mkCase("large lr and wd (0.1, 0.1): the decay multiplies the OLD parameter, before the Adam step", "adamwStep",
    { param: X([1, -2, 0.5]), grad: X([0.5, 0.5, -1]), state: fresh([3]), hp: { ...DEFAULTS, lr: 0.1, weightDecay: 0.1 } }, TOL));
  cases.push(mkCase("tiny gradients (1e-7): eps outside sqrt(v_hat); the TF eps-hat form gives a 4x smaller step", "adamwStep",
    { param: X([1, -1, 0.5]), grad: X([1e-7, -2e-7, 5e-8]), state: fresh([3]), hp: DEFAULTS }, TOL));
  cases.push(mkCase("late step (t = 1000): the bias corrections are nearly 1", "adamwStep",
    { param: X([0.3, -0.7, 1.2, 0], [2, 2]), grad: X([0.05, -0.02, 0.1, 0.3], [2, 2]),
      state: { m: X([0.01, -0.01, 0.03, 0.02], [2, 2]), v: X([4e-4, 1e-4, 9e-4, 1e-3], [2, 2]), t: 1000 }, hp: DEFAULTS }, TOL));
  cases.push(mkCase("LLM hyperparameters (lr 3e-4, beta2 0.95, wd 0.1), step 10", "adamwStep",
    { param: X([0.02, -0.01, 0.015, -0.03, 0.005, 0.01], [2, 3]), grad: X([0.5, -0.3, 0.1, 0.2, -0.6, 0.05], [2, 3]),
      state: { m: X([0.2, -0.1, 0.05, 0.1, -0.2, 0], [2, 3]), v: X([0.1, 0.04, 0.01, 0.05, 0.2, 0.001], [2, 3]), t: 9 },
      hp: { lr: 3e-4, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 } }, TOL));
  return cases;
}

const HPS: Hp[] = [
  DEFAULTS,
  { ...DEFAULTS, weightDecay: 0 },
  { lr: 3e-4, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 },
  { lr: 1e-2, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05 },
];

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let n = 0; n < 5; n++) {
    const shape = rng.pick([[1], [7], [3, 4], [2, 3, 5], [64]]);
    const hp = rng.pick(HPS);
    const t = rng.pick([0, 1, 2, 5, 100]);
    const gScale = rng.pick([1, 1e-3, 1e-6]);
    const param = rng.tensor(shape);
    const grad = rng.tensor(shape, gScale);
    let state: State = fresh(shape);
    if (t > 0) {
      const m = rng.tensor(shape, 0.3 * gScale);
      const v = rng.uniform(shape, 0, 1);
      for (let i = 0; i < v.data.length; i++) v.data[i] = m.data[i]! * m.data[i]! + gScale * gScale * v.data[i]!;
      state = { m, v, t };
    }
    cases.push(mkCase(`adamwStep [${shape}] t ${t} grad scale ${gScale} lr ${hp.lr} wd ${hp.weightDecay}`, "adamwStep", { param, grad, state, hp }, TOL));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "One step of AdamW as PyTorch computes it: decoupled weight decay p *= 1 - lr*wd, moment updates m, v, bias corrections with step = t + 1, and p -= lr * m_hat / (sqrt(v_hat) + eps). Returns the new parameter and the new state { m, v, t: t + 1 }; the inputs stay untouched.",
  functions: [
    {
      name: "adamwStep",
      signature: "adamwStep(param: Tensor, grad: Tensor, state: { m: Tensor; v: Tensor; t: number }, hp: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number }): { param: Tensor; state: { m: Tensor; v: Tensor; t: number } }",
      doc: "param, grad, m, v share one shape [...]; t = steps already taken (0 at first); returns new tensors and t + 1",
    },
  ],
  toleranceText: "param atol 1e-6, rtol 1e-6; m and v rtol 1e-5 (atol 1e-20); t exact",
  oracleText: "an ONNX graph of the PyTorch AdamW update (Mul, Add, Sub, Pow, Sqrt, Div) in float64",
  hints: {
    nudge: "Everything is elementwise. Compute the step number once (t + 1), the two bias corrections once, then one loop over the elements. Write into new Float32Arrays: PyTorch updates in place, here the inputs must stay untouched.",
    formula: "step = t + 1; p' = p (1 - lr wd); m' = b1 m + (1 - b1) g; v' = b2 v + (1 - b2) g^2; m_hat = m' / (1 - b1^step); v_hat = v' / (1 - b2^step); p'' = p' - lr m_hat / (sqrt(v_hat) + eps).",
    pseudocode: [
      "step = state.t + 1; bc1 = 1 - beta1^step; bc2 = 1 - beta2^step",
      "for i: m[i] = beta1*m_old[i] + (1-beta1)*g[i]",
      "       v[i] = beta2*v_old[i] + (1-beta2)*g[i]*g[i]",
      "       p[i] = p_old[i]*(1 - lr*wd) - lr*(m[i]/bc1) / (sqrt(v[i]/bc2) + eps)",
      "return { param: p, state: { m, v, t: step } }",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const s = arg<State & Value>(c, "state");
    const hp = arg<Hp & Value>(c, "hp");
    const out = await ort.run(adamwModel, {
      p_in: arg<Tensor>(c, "param"), g_in: arg<Tensor>(c, "grad"), m_in: s.m, v_in: s.v,
      t_in: split64(s.t), lr: split64(hp.lr), b1: split64(hp.beta1), b2: split64(hp.beta2), eps: split64(hp.eps), wd: split64(hp.weightDecay),
    });
    const shape = arg<Tensor>(c, "param").shape;
    const reshape = (x: Tensor) => ({ data: x.data, shape: [...shape] });
    return { param: reshape(out.param as Tensor), state: { m: reshape(out.m as Tensor), v: reshape(out.v as Tensor), t: (out.t as Tensor).data[0]! } };
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
