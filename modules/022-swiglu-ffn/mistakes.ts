// 022 SwiGLU feed-forward network: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";

/** hidden[f] = combine(g, u) with g = (x Wgate)[f], u = (x Wup)[f]; out = hidden @ Wdown */
function swigluWith(combine: (g: number, u: number) => number) {
  return (x: Tensor, Wgate: Tensor, Wup: Tensor, Wdown: Tensor): Tensor => {
    const [D, F] = Wgate.shape as [number, number];
    const N = x.data.length / D;
    const out = new Float32Array(N * D);
    const h = new Float32Array(F);
    for (let r = 0; r < N; r++) {
      for (let f = 0; f < F; f++) {
        let g = 0, u = 0;
        for (let i = 0; i < D; i++) {
          g += x.data[r * D + i]! * Wgate.data[i * F + f]!;
          u += x.data[r * D + i]! * Wup.data[i * F + f]!;
        }
        h[f] = combine(g, u);
      }
      for (let o = 0; o < D; o++) {
        let s = 0;
        for (let f = 0; f < F; f++) s += h[f]! * Wdown.data[f * D + o]!;
        out[r * D + o] = s;
      }
    }
    return { data: out, shape: [...x.shape] };
  };
}

const silu = (v: number) => v / (1 + Math.exp(-v));
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const h83 = (D: number) => Math.floor((8 * D) / 3);

export const mistakes: Mistake[] = [
  {
    id: "silu-on-up",
    title: "SiLU applied to the up branch x Wup instead of the gate x Wgate",
    lesson: "SwiGLU is silu(x Wgate) * (x Wup): the gate goes through SiLU, the up projection stays linear. Swapping them is a different function of the same weights (Llama: w2(silu(w1(x)) * w3(x)), w1 = gate, w3 = up)",
    impl: { swiglu: swigluWith((g, u) => g * silu(u)) },
  },
  {
    id: "sigmoid-gate",
    title: "gate sigmoid(x Wgate) instead of silu(x Wgate)",
    lesson: "sigmoid(g) * u is the original GLU; SwiGLU uses Swish/SiLU, g * sigmoid(g). With g = 2, sigmoid gives 0.88 and silu 1.76",
    impl: { swiglu: swigluWith((g, u) => sigmoid(g) * u) },
  },
  {
    id: "silu-overflow",
    title: "sigmoid written as exp(g) / (1 + exp(g))",
    lesson: "for g = 800, exp(800) = Infinity and Infinity/Infinity = NaN: write silu(g) = g / (1 + exp(-g)), which gives g for large g and -0 for very negative g",
    impl: { swiglu: swigluWith((g, u) => g * (Math.exp(g) / (1 + Math.exp(g))) * u) },
  },
  {
    id: "hidden-rounded-down",
    title: "hidden size rounded down to a multiple instead of up",
    lesson: "Llama rounds up: multipleOf * ceil(h / multipleOf). For D = 4096, h = floor(8·4096/3) = 10922 and the rule gives 11008 (Llama 7B's intermediate_size), not 10752",
    impl: { swigluHiddenDim: (D: number, m: number) => m * Math.floor(h83(D) / m) },
  },
  {
    id: "hidden-no-floor",
    title: "8D/3 rounded up to the multiple without taking the floor first",
    lesson: "Llama computes h = int(2·4D/3) first, then rounds up: for D = 4, multipleOf = 5, h = floor(10.67) = 10 is already a multiple, so the answer is 10; ceil(10.67 / 5)·5 = 15 is not",
    impl: { swigluHiddenDim: (D: number, m: number) => m * Math.ceil((8 * D) / 3 / m) },
  },
  {
    id: "hidden-add-multiple",
    title: "rounded up with (floor(h / multipleOf) + 1) * multipleOf",
    lesson: "a hidden size that is already a multiple must stay as it is: D = 3, multipleOf = 8 gives h = 8 and the answer 8, not 16. Use multipleOf * ceil(h / multipleOf), or ((h + multipleOf - 1) // multipleOf) * multipleOf",
    impl: { swigluHiddenDim: (D: number, m: number) => m * (Math.floor(h83(D) / m) + 1) },
  },
  {
    id: "hidden-4d",
    title: "hidden size 4D (the 2/3 factor forgotten)",
    lesson: "SwiGLU has three matrices instead of two, so Llama shrinks the hidden size to 2/3 of 4D to keep the parameter count: 3·D·(8D/3) = 8D² = 2·D·4D. D = 4096 gives 11008, not 16384",
    impl: { swigluHiddenDim: (D: number, m: number) => m * Math.ceil((4 * D) / m) },
  },
];
