// dropoutBackward against float64 central finite differences of dropout (fixed draws u, training).
import { describe, expect, it } from "vitest";
import { dot, maxRelErr, numericGrad, randn, reference64 } from "../helpers/f64.ts";

describe("013 dropout backward", async () => {
  const ref = await reference64("013-dropout");
  for (const [shape, p] of [[[7], 0.5], [[3, 4], 0.25], [[2, 3, 5], 0.9], [[4, 4], 0]] as [number[], number][]) {
    it(`matches finite differences for x[${shape}], p = ${p}`, () => {
      const x = randn(shape, 21, 2);
      const w = randn(shape, 22);
      const n = x.data.length;
      // draws kept away from p so the mask is fixed
      const u = { data: Float64Array.from({ length: n }, (_, i) => ((i * 0.6180339887 + 0.05) % 1 + (Math.abs(((i * 0.6180339887 + 0.05) % 1) - p) < 1e-3 ? 0.01 : 0)) % 1), shape };
      const { mask } = ref.dropout(x, p, u, true);
      const dx = ref.dropoutBackward(w, mask, p).data;
      const num = numericGrad(x, () => dot(ref.dropout(x, p, u, true).y.data, w.data));
      expect(maxRelErr(dx, num)).toBeLessThan(1e-6);
      if (p > 0) expect(Array.from(mask.data as Float64Array).some((m) => m === 0)).toBe(true);
    });
  }
});
