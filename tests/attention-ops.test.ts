// ONNX Attention (opset 23), the oracle of 018 and 019, against the learner-facing SDPA reference of 017:
// MHA built from split heads + SDPA + merged heads, and GQA built by repeat_interleave of the kv heads
// (query head h reads kv head floor(h / (H/Hkv))). Also checks that the other mapping (h % Hkv) disagrees,
// so the test would notice if the op used it.
import { describe, expect, it } from "vitest";
import { f32, f64, model } from "../src/core/spec-kit.ts";
import { ortRunner } from "../src/onnx/runtime.ts";
import { Rng } from "../src/core/rng.ts";
import { reference64 } from "./helpers/f64.ts";
import type { Tensor } from "../src/core/types.ts";

// sdpa: the learner-facing reference of 017 (modules/017-scaled-dot-product-attention/reference.ts),
// compiled in float64; q, k, v are [B,H,T,Dh]; out is [B,H,T,Dh]
const sdpaRef = (await reference64("017-scaled-dot-product-attention")).scaledDotProductAttention!;
function sdpa(q: Float64Array, k: Float64Array, v: Float64Array, B: number, H: number, T: number, Dh: number, causal: boolean): Float64Array {
  const shape = [B, H, T, Dh];
  return sdpaRef({ data: q, shape }, { data: k, shape }, { data: v, shape }, causal).data as Float64Array;
}

// splitHeads: x is [B,T,Hx*Dh]; out is [B,H,T,Dh] where out head h is x head kvOf(h)
function splitHeads(x: Float32Array, B: number, T: number, Hx: number, H: number, Dh: number, kvOf: (h: number) => number): Float64Array {
  const out = new Float64Array(B * H * T * Dh);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) for (let e = 0; e < Dh; e++) {
    out[((b * H + h) * T + t) * Dh + e] = x[(b * T + t) * Hx * Dh + kvOf(h) * Dh + e]!;
  }
  return out;
}

// mergeHeads: x is [B,H,T,Dh]; out is [B,T,H*Dh]
function mergeHeads(x: Float64Array, B: number, H: number, T: number, Dh: number): Float64Array {
  const out = new Float64Array(B * T * H * Dh);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) for (let e = 0; e < Dh; e++) {
    out[(b * T + t) * H * Dh + h * Dh + e] = x[((b * H + h) * T + t) * Dh + e]!;
  }
  return out;
}

function loopAttention(q: Tensor, k: Tensor, v: Tensor, H: number, Hkv: number, Dh: number, causal: boolean, kvOf: (h: number) => number): Float64Array {
  const [B, T] = q.shape as [number, number];
  const o = sdpa(
    splitHeads(q.data, B, T, H, H, Dh, (h) => h),
    splitHeads(k.data, B, T, Hkv, H, Dh, kvOf),
    splitHeads(v.data, B, T, Hkv, H, Dh, kvOf),
    B, H, T, Dh, causal,
  );
  return mergeHeads(o, B, H, T, Dh);
}

const attention = (H: number, Hkv: number, causal: boolean, double: boolean) =>
  model(`test/attention/${H}/${Hkv}/${causal}/${double}`, (g) => {
    const cast = (x: string) => (double ? f64(g, x) : x);
    const y = g.op1("Attention", [cast(g.input("q")), cast(g.input("k")), cast(g.input("v"))], { q_num_heads: H, kv_num_heads: Hkv, is_causal: causal ? 1 : 0 });
    g.output(double ? f32(g, y) : y, "y");
  });

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("ONNX Attention as multi-head attention (q_num_heads = kv_num_heads = H)", () => {
  const shapes: [number, number, number, number][] = [[1, 1, 1, 4], [1, 2, 3, 2], [2, 4, 5, 3], [3, 3, 7, 8], [1, 8, 16, 1]];
  for (const [B, H, T, Dh] of shapes) {
    for (const causal of [false, true]) {
      for (const double of [false, true]) {
        it(`B ${B} H ${H} T ${T} Dh ${Dh} causal ${causal} ${double ? "float64" : "float32"}`, async () => {
          const rng = new Rng(B * 1000 + H * 100 + T * 10 + Dh);
          const q = rng.tensor([B, T, H * Dh], 1.5), k = rng.tensor([B, T, H * Dh], 1.5), v = rng.tensor([B, T, H * Dh]);
          const want = loopAttention(q, k, v, H, H, Dh, causal, (h) => h);
          const got = (await ortRunner.run(attention(H, H, causal, double), { q, k, v })).y!;
          expect(got.shape).toEqual([B, T, H * Dh]);
          expect(maxAbs(got.data, want)).toBeLessThan(double ? 1e-6 : 1e-5);
        });
      }
    }
  }
});

describe("ONNX Attention as grouped-query attention: query head h reads kv head floor(h / (H/Hkv))", () => {
  const configs: [number, number][] = [[4, 1], [6, 1], [4, 4], [3, 3], [4, 2], [6, 2], [6, 3], [8, 2], [8, 4]];
  for (const [H, Hkv] of configs) {
    for (const causal of [false, true]) {
      it(`H ${H} Hkv ${Hkv} causal ${causal}`, async () => {
        const B = 2, T = 5, Dh = 3, G = H / Hkv;
        const rng = new Rng(H * 100 + Hkv * 10 + (causal ? 1 : 0));
        const q = rng.tensor([B, T, H * Dh], 1.5), k = rng.tensor([B, T, Hkv * Dh], 1.5), v = rng.tensor([B, T, Hkv * Dh]);
        const got = (await ortRunner.run(attention(H, Hkv, causal, true), { q, k, v })).y!;
        expect(got.shape).toEqual([B, T, H * Dh]);
        const interleave = loopAttention(q, k, v, H, Hkv, Dh, causal, (h) => Math.floor(h / G));
        expect(maxAbs(got.data, interleave)).toBeLessThan(1e-6);
        if (Hkv > 1 && Hkv < H) {
          const tiled = loopAttention(q, k, v, H, Hkv, Dh, causal, (h) => h % Hkv);
          expect(maxAbs(got.data, tiled)).toBeGreaterThan(1e-2);
        }
      });
    }
  }
});

// What 016, 017, 024 and 025 assume of the op's masks, checked directly against the 017 reference
// (bottom-right causal for Tq < Tk): a boolean mask means true = attend; an additive float mask of
// 0 / -Infinity is the same mask; and is_causal aligns top-left when Tq < Tk.
describe("ONNX Attention masks, as the oracles use them", () => {
  const withBool = model("test/attention/bool-mask", (g) => {
    g.output(f32(g, g.op1("Attention", [f64(g, g.input("q")), f64(g, g.input("k")), f64(g, g.input("v")), g.input("attend", "bool")])), "y");
  });
  const withFloat = model("test/attention/float-mask", (g) => {
    g.output(f32(g, g.op1("Attention", [f64(g, g.input("q")), f64(g, g.input("k")), f64(g, g.input("v")), f64(g, g.input("bias"))])), "y");
  });
  const causalOp = model("test/attention/is-causal", (g) => {
    g.output(f32(g, g.op1("Attention", [f64(g, g.input("q")), f64(g, g.input("k")), f64(g, g.input("v"))], { is_causal: 1 })), "y");
  });
  const B = 2, H = 3, Tq = 2, Tk = 5, Dh = 4;
  const rng = new Rng(2024);
  const q = rng.tensor([B, H, Tq, Dh], 1.5), k = rng.tensor([B, H, Tk, Dh], 1.5), v = rng.tensor([B, H, Tk, Dh]);
  const sees = (i: number, j: number, topLeft = false) => j <= (topLeft ? i : Tk - Tq + i);
  const grid = (f: (i: number, j: number) => number) => Array.from({ length: Tq * Tk }, (_, n) => f(Math.floor(n / Tk), n % Tk));
  const bool = (f: (i: number, j: number) => boolean) => ({ data: Uint8Array.from(grid((i, j) => (f(i, j) ? 1 : 0))), shape: [Tq, Tk] });
  const want = (causal: boolean) => sdpaRef({ data: Float64Array.from(q.data), shape: q.shape }, { data: Float64Array.from(k.data), shape: k.shape }, { data: Float64Array.from(v.data), shape: v.shape }, causal).data;

  it("a boolean mask is true where the query may attend (bottom-right causal gives the 017 reference)", async () => {
    const y = (await ortRunner.run(withBool, { q, k, v, attend: bool((i, j) => sees(i, j)) as never })).y!;
    expect(maxAbs(y.data, want(true))).toBeLessThan(1e-6);
    const flipped = (await ortRunner.run(withBool, { q, k, v, attend: bool((i, j) => !sees(i, j) || j === 0) as never })).y!;
    expect(maxAbs(flipped.data, want(true))).toBeGreaterThan(1e-2); // the other polarity is visibly different
  });

  it("an additive float mask of 0 and -Infinity is the same mask (024 adds its bias this way)", async () => {
    const bias = { data: Float32Array.from(grid((i, j) => (sees(i, j) ? 0 : -Infinity))), shape: [Tq, Tk] };
    const y = (await ortRunner.run(withFloat, { q, k, v, bias })).y!;
    expect(maxAbs(y.data, want(true))).toBeLessThan(1e-6);
  });

  it("is_causal aligns top-left when Tq < Tk, so the bottom-right oracles pass a mask instead", async () => {
    const y = (await ortRunner.run(causalOp, { q, k, v })).y!;
    const topLeft = (await ortRunner.run(withBool, { q, k, v, attend: bool((i, j) => sees(i, j, true)) as never })).y!;
    expect(maxAbs(y.data, topLeft.data)).toBeLessThan(1e-6);
    expect(maxAbs(y.data, want(true))).toBeGreaterThan(1e-2);
  });
});
