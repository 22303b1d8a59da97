// sftLossBackward against float64 central finite differences of sftLoss.
import { describe, expect, it } from "vitest";
import { numericGrad, randn, reference64 } from "../helpers/f64.ts";

const IGN = -100;

function labels(B: number, T: number, V: number, seed: number, ignoreAll = false): { data: Int32Array; shape: number[] } {
  const u = randn([B * T], seed).data;
  const data = new Int32Array(B * T);
  for (let i = 0; i < B * T; i++) data[i] = ignoreAll || i % T === 0 || u[i]! > 0.8 ? IGN : Math.abs(Math.floor(u[i]! * 1000)) % V;
  return { data, shape: [B, T] };
}

describe("033 sft-loss backward", async () => {
  const ref = await reference64("033-sft-loss");
  for (const [B, T, V] of [[1, 4, 3], [2, 5, 7], [3, 6, 11]] as const) {
    it(`matches finite differences for logits[${B},${T},${V}]`, () => {
      const x = randn([B, T, V], 31 + V, 2);
      const y = labels(B, T, V, 41 + V);
      const d = ref.sftLossBackward(x, y).data;
      const num = numericGrad(x, () => ref.sftLoss(x, y));
      // central differences in float64 are good to about 1e-10 absolute (roundoff of an O(1) loss over h = 1e-6);
      // entries of the gradient are as small as 1e-6 here, so the bound is absolute plus relative
      let worst = 0;
      for (let i = 0; i < d.length; i++) worst = Math.max(worst, Math.abs(d[i]! - num[i]!) - 1e-6 * Math.abs(num[i]!));
      expect(worst).toBeLessThan(1e-9);
    });
  }
  it("gives a zero gradient (and loss 0) when every label is ignored", () => {
    const x = randn([2, 3, 4], 5);
    const y = labels(2, 3, 4, 6, true);
    expect(ref.sftLoss(x, y)).toBe(0);
    expect(Array.from(ref.sftLossBackward(x, y).data).every((v) => v === 0)).toBe(true);
  });
});
