// 031 AdamW: known mistakes, each a wrong variant the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";

type State = { m: Tensor; v: Tensor; t: number };
type Hp = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

interface Variant {
  /** gradient used for the moments (L2 adds wd * p) */
  grad?: (g: number, p: number, hp: Hp) => number;
  /** the parameter update from p, m, v, the step and hp */
  update?: (p: number, m: number, v: number, step: number, hp: Hp) => number;
  /** the step count used by the bias corrections */
  biasStep?: (t: number) => number;
  /** the t returned in the state */
  nextT?: (t: number) => number;
}

const pytorch = (p: number, m: number, v: number, step: number, hp: Hp) =>
  p * (1 - hp.lr * hp.weightDecay) - (hp.lr * (m / (1 - hp.beta1 ** step))) / (Math.sqrt(v / (1 - hp.beta2 ** step)) + hp.eps);

function variant(w: Variant) {
  return (param: Tensor, grad: Tensor, state: State, hp: Hp) => {
    const n = param.data.length;
    const step = (w.biasStep ?? ((t) => t + 1))(state.t);
    const p = new Float32Array(n), m = new Float32Array(n), v = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const g = (w.grad ?? ((x) => x))(grad.data[i]!, param.data[i]!, hp);
      const mi = hp.beta1 * state.m.data[i]! + (1 - hp.beta1) * g;
      const vi = hp.beta2 * state.v.data[i]! + (1 - hp.beta2) * g * g;
      p[i] = (w.update ?? pytorch)(param.data[i]!, mi, vi, step, hp);
      m[i] = mi;
      v[i] = vi;
    }
    const shape = [...param.shape];
    return { param: { data: p, shape }, state: { m: { data: m, shape: [...shape] }, v: { data: v, shape: [...shape] }, t: (w.nextT ?? ((t) => t + 1))(state.t) } };
  };
}

export const mistakes: Mistake[] = [
  {
    id: "l2-in-gradient",
    title: "weight decay added to the gradient (Adam with L2), not decoupled (AdamW)",
    lesson: "g + wd * p goes through m and v, so the adaptive denominator rescales the decay (at step 1 the update is still lr * sign(g), and the 1e-5 * p shrink is lost); AdamW shrinks the parameter directly: p *= 1 - lr * wd, and the moments see the raw gradient",
    impl: {
      adamwStep: variant({
        grad: (g, p, hp) => g + hp.weightDecay * p,
        update: (p, m, v, step, hp) => pytorch(p, m, v, step, { ...hp, weightDecay: 0 }),
      }),
    },
  },
  {
    id: "no-bias-correction",
    title: "no bias correction (m and v used directly)",
    lesson: "m and v start at 0, so after step 1 m = 0.1 g and v = 0.001 g^2: m / sqrt(v) = 3.16 sign(g), a step 3.16x too large; divide by 1 - beta1^t and 1 - beta2^t (t counts from 1)",
    impl: {
      adamwStep: variant({
        update: (p, m, v, _s, hp) => p * (1 - hp.lr * hp.weightDecay) - (hp.lr * m) / (Math.sqrt(v) + hp.eps),
      }),
    },
  },
  {
    id: "bias-correction-old-t",
    title: "bias correction with the old step count t instead of t + 1",
    lesson: "state.t counts the steps already taken; the first step is step 1, and 1 - beta^0 = 0 divides by zero (NaN). Use step = t + 1 for the corrections and return it as the new t",
    impl: { adamwStep: variant({ biasStep: (t) => t }) },
  },
  {
    id: "eps-inside-sqrt",
    title: "eps inside the square root: sqrt(v_hat + eps)",
    lesson: "with gradients around 1e-7, sqrt(v_hat) = 1e-7 but sqrt(v_hat + 1e-8) = 1e-4, so the step shrinks 1000x; PyTorch adds eps outside: sqrt(v_hat) + eps",
    impl: {
      adamwStep: variant({
        update: (p, m, v, step, hp) =>
          p * (1 - hp.lr * hp.weightDecay) - (hp.lr * (m / (1 - hp.beta1 ** step))) / Math.sqrt(v / (1 - hp.beta2 ** step) + hp.eps),
      }),
    },
  },
  {
    id: "tf-eps-hat",
    title: "TensorFlow's eps-hat form: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), p -= lr_t * m / (sqrt(v) + eps)",
    lesson: "folding the bias corrections into the learning rate puts eps next to the uncorrected sqrt(v), an effective eps of eps / sqrt(1 - beta2^t) (31.6x larger at step 1); with gradients of 1e-7 the step is about 4x smaller than PyTorch's. The contract is PyTorch's: m_hat / (sqrt(v_hat) + eps)",
    impl: {
      adamwStep: variant({
        update: (p, m, v, step, hp) =>
          p * (1 - hp.lr * hp.weightDecay) - ((hp.lr * Math.sqrt(1 - hp.beta2 ** step)) / (1 - hp.beta1 ** step)) * (m / (Math.sqrt(v) + hp.eps)),
      }),
    },
  },
  {
    id: "decay-without-lr",
    title: "decoupled decay without the learning rate: p *= 1 - wd",
    lesson: "PyTorch's AdamW multiplies by 1 - lr * wd (1 - 1e-5 with the defaults), not 1 - wd (1 - 0.01, a 1000x stronger shrink per step)",
    impl: {
      adamwStep: variant({
        update: (p, m, v, step, hp) => pytorch(p * (1 - hp.weightDecay), m, v, step, { ...hp, weightDecay: 0 }),
      }),
    },
  },
  {
    id: "decay-after-update",
    title: "weight decay applied to the parameter after the Adam step instead of before",
    lesson: "PyTorch decays the old parameter: p * (1 - lr * wd) - lr * m_hat / (sqrt(v_hat) + eps). Decaying after the step also shrinks the step itself, by lr * wd: with lr = wd = 0.1, 1 -> 0.89 becomes 0.891",
    impl: {
      adamwStep: variant({
        update: (p, m, v, step, hp) => (1 - hp.lr * hp.weightDecay) * pytorch(p, m, v, step, { ...hp, weightDecay: 0 }),
      }),
    },
  },
  {
    id: "t-not-incremented",
    title: "the returned state keeps the old t",
    lesson: "the next call would redo the same bias correction forever; return t + 1 (the number of steps taken, including this one)",
    impl: { adamwStep: variant({ nextT: (t) => t }) },
  },
];
