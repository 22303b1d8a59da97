// 020 rope: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";

/** Rotates the pairs (lo(i), hi(i)) of every row by the table angles; `sign` -1 rotates backwards. */
function rotate(x: Tensor, cos: Tensor, sin: Tensor, lo: (i: number, half: number) => number, hi: (i: number, half: number) => number, sign = 1): Tensor {
  const [B, H, T, Dh] = x.shape as [number, number, number, number];
  const half = Dh / 2;
  const out = new Float32Array(x.data.length);
  for (let bh = 0; bh < B * H; bh++) {
    for (let t = 0; t < T; t++) {
      const o = (bh * T + t) * Dh;
      for (let i = 0; i < half; i++) {
        const c = cos.data[t * half + i]!, s = sign * sin.data[t * half + i]!;
        const a = x.data[o + lo(i, half)]!, b = x.data[o + hi(i, half)]!;
        out[o + lo(i, half)] = a * c - b * s;
        out[o + hi(i, half)] = b * c + a * s;
      }
    }
  }
  return { data: out, shape: [...x.shape] };
}

const halfLo = (i: number) => i, halfHi = (i: number, half: number) => i + half;
const pairLo = (i: number) => 2 * i, pairHi = (i: number) => 2 * i + 1;

function tables(T: number, Dh: number, base: number, offset: number, exponent: (i: number) => number, round: (a: number) => number = (a) => a): { cos: Tensor; sin: Tensor } {
  const half = Dh / 2;
  const cos = new Float32Array(T * half), sin = new Float32Array(T * half);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < half; i++) {
      const a = round((offset + t) * Math.pow(base, exponent(i)));
      cos[t * half + i] = Math.cos(a);
      sin[t * half + i] = Math.sin(a);
    }
  }
  return { cos: { data: cos, shape: [T, half] }, sin: { data: sin, shape: [T, half] } };
}

export const mistakes: Mistake[] = [
  {
    id: "half-split-as-interleaved",
    title: "applyRope rotates adjacent pairs (2i, 2i+1): the interleaved layout",
    lesson: "the half-split layout (rotate_half, Hugging Face's Llama) pairs x[i] with x[i + Dh/2]: out[i] = x[i] cos_i - x[i + Dh/2] sin_i. Adjacent pairs (2i, 2i+1) are the interleaved layout (GPT-J, Meta's original Llama). A checkpoint expects one of them: HF permutes Meta's q/k weights when converting",
    impl: { applyRope: (x: Tensor, cos: Tensor, sin: Tensor) => rotate(x, cos, sin, pairLo, pairHi) },
  },
  {
    id: "interleaved-as-half-split",
    title: "applyRopeInterleaved rotates (i, i + Dh/2): the half-split layout",
    lesson: "the interleaved layout pairs x[2i] with x[2i+1] and rotates that pair by frequency i: out[2i] = x[2i] cos_i - x[2i+1] sin_i, out[2i+1] = x[2i+1] cos_i + x[2i] sin_i. Pairing x[i] with x[i + Dh/2] is the half-split layout",
    impl: { applyRopeInterleaved: (x: Tensor, cos: Tensor, sin: Tensor) => rotate(x, cos, sin, halfLo, halfHi) },
  },
  {
    id: "rotation-backwards",
    title: "rotation by -angle (the sin terms with swapped signs)",
    lesson: "RoPE multiplies the pair (a, b), read as a + ib, by e^(i p theta): (a cos - b sin, b cos + a sin). Swapping the signs rotates by -p theta; q.k would then depend on p_k - p_q instead of p_q - p_k, which a pretrained model does not expect",
    impl: { applyRope: (x: Tensor, cos: Tensor, sin: Tensor) => rotate(x, cos, sin, halfLo, halfHi, -1) },
  },
  {
    id: "offset-ignored",
    title: "ropeTables ignores the offset: positions restart at 0 when decoding",
    lesson: "with a cache of `offset` tokens the new rows are positions offset, offset + 1, ...: the angle is (offset + t) * theta_i. Restarting at 0 gives every decoded token the rotation of position 0 (the identity), and attention no longer sees where it is",
    impl: { ropeTables: (T: number, Dh: number, base: number) => tables(T, Dh, base, 0, (i) => (-2 * i) / Dh) },
  },
  {
    id: "theta-i-over-dh",
    title: "theta_i = base^(-i/Dh) instead of base^(-2i/Dh)",
    lesson: "frequency i belongs to the pair i of Dh/2 pairs, so the exponent is -2i/Dh and the slowest frequency is base^(-(Dh-2)/Dh), close to 1/base. With i/Dh the frequencies only reach base^(-1/2) = 0.01 for base 10000: long-range positions are never encoded",
    impl: { ropeTables: (T: number, Dh: number, base: number, offset: number) => tables(T, Dh, base, offset, (i) => -i / Dh) },
  },
  {
    id: "positions-from-one",
    title: "positions counted from 1: the angle is (offset + t + 1) * theta",
    lesson: "the first token is position 0 and is not rotated at all (cos 1, sin 0); row t of the tables is position offset + t, the number of tokens before it",
    impl: { ropeTables: (T: number, Dh: number, base: number, offset: number) => tables(T, Dh, base, offset + 1, (i) => (-2 * i) / Dh) },
  },
  {
    id: "angle-in-float32",
    title: "angles rounded to float32 before cos and sin",
    lesson: "at long context (offset + t) * theta reaches thousands of radians, where float32 numbers are 2.4e-4 apart (4.9e-4 past 4096), so cos and sin of a float32 angle are off by that much; compute the angle in float64 (a plain JS number) and store only cos and sin as float32",
    impl: { ropeTables: (T: number, Dh: number, base: number, offset: number) => tables(T, Dh, base, offset, (i) => (-2 * i) / Dh, Math.fround) },
  },
  {
    id: "theta-in-float32",
    title: "the frequencies theta_i stored as float32 (like Hugging Face's inv_freq buffer)",
    lesson: "a float32 theta is off by up to 6e-8 relative; multiplied by a position of 4096 that is an angle error near 1e-4 rad, far above the tables' tolerance of 1e-6. Keep theta_i = base^(-2i/Dh) and the angle in plain JS numbers (float64)",
    impl: {
      ropeTables: (T: number, Dh: number, base: number, offset: number) => {
        const half = Dh / 2;
        const cos = new Float32Array(T * half), sin = new Float32Array(T * half);
        for (let t = 0; t < T; t++) for (let i = 0; i < half; i++) {
          const a = (offset + t) * Math.fround(Math.pow(base, (-2 * i) / Dh));
          cos[t * half + i] = Math.cos(a);
          sin[t * half + i] = Math.sin(a);
        }
        return { cos: { data: cos, shape: [T, half] }, sin: { data: sin, shape: [T, half] } };
      },
    },
  },
];
