// ONNX RotaryEmbedding's two layouts are the curriculum's: interleaved = 0 rotates (x[i], x[i + Dh/2]),
// interleaved = 1 rotates (x[2i], x[2i+1]). Checked on one-hot inputs against the definitions written out
// here (not against reference.ts): each basis vector must land exactly where the definition sends it.
import { describe, expect, it } from "vitest";
import { mkCase } from "../../src/core/spec-kit.ts";
import { ortRunner } from "../../src/onnx/runtime.ts";
import type { Tensor } from "../../src/core/types.ts";
import spec from "../../modules/020-rope/spec.ts";

const Dh = 8, half = Dh / 2;
// one position, a distinct angle per frequency
const angles = [0.3, 1.1, 2.0, -0.7];
const cos: Tensor = { data: Float32Array.from(angles, Math.cos), shape: [1, half] };
const sin: Tensor = { data: Float32Array.from(angles, Math.sin), shape: [1, half] };

/** The curriculum's definition: pair i = (lo(i), hi(i)) rotated by angle i. */
function rotate(x: number[], lo: (i: number) => number, hi: (i: number) => number): number[] {
  const out = [...x];
  for (let i = 0; i < half; i++) {
    const a = x[lo(i)]!, b = x[hi(i)]!, c = cos.data[i]!, s = sin.data[i]!;
    out[lo(i)] = a * c - b * s;
    out[hi(i)] = b * c + a * s;
  }
  return out;
}

const layouts = [
  { fn: "applyRope", name: "interleaved = 0 is half-split: pairs (i, i + Dh/2)", lo: (i: number) => i, hi: (i: number) => i + half },
  { fn: "applyRopeInterleaved", name: "interleaved = 1 is adjacent pairs (2i, 2i+1)", lo: (i: number) => 2 * i, hi: (i: number) => 2 * i + 1 },
];

describe("020 rope: ONNX RotaryEmbedding layouts", () => {
  for (const { fn, name, lo, hi } of layouts) {
    it(name, async () => {
      // batch of Dh one-hot rows e_0 .. e_{Dh-1}, as x[Dh, 1, 1, Dh]
      const x: Tensor = { data: new Float32Array(Dh * Dh), shape: [Dh, 1, 1, Dh] };
      for (let r = 0; r < Dh; r++) x.data[r * Dh + r] = 1;
      const got = (await spec.oracle(mkCase(name, fn, { x, cos, sin }, {}), ortRunner)) as Tensor;
      for (let r = 0; r < Dh; r++) {
        const e = Array.from({ length: Dh }, (_, k) => (k === r ? 1 : 0));
        const want = rotate(e, lo, hi);
        const row = Array.from(got.data.subarray(r * Dh, (r + 1) * Dh));
        for (let k = 0; k < Dh; k++) expect(Math.abs(row[k]! - want[k]!), `e_${r} -> out[${k}]`).toBeLessThan(1e-6);
      }
    });
  }
});
