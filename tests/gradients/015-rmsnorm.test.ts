// rmsNormBackward (dx and dweight) against float64 central finite differences of rmsNorm.
import { describe, expect, it } from "vitest";
import { dot, maxRelErr, numericGrad, randn, reference64 } from "../helpers/f64.ts";

describe("015 rmsnorm backward", async () => {
  const ref = await reference64("015-rmsnorm");
  const cases: { shape: number[]; scale: number; eps: number }[] = [
    { shape: [1, 5], scale: 1, eps: 1e-6 },
    { shape: [3, 4], scale: 2, eps: 1e-6 },
    { shape: [2, 2, 7], scale: 1, eps: 1e-5 },
    { shape: [2, 3], scale: 0.01, eps: 1e-4 }, // mean(x^2) comparable to eps: the eps path matters
  ];
  for (const { shape, scale, eps } of cases) {
    const d = shape[shape.length - 1]!;
    it(`dx matches finite differences for x[${shape}] scale ${scale} eps ${eps}`, () => {
      const x = randn(shape, 21, scale);
      const w = randn([d], 22, 1);
      const dy = randn(shape, 23);
      const { dx } = ref.rmsNormBackward(x, w, dy, eps);
      const num = numericGrad(x, () => dot(ref.rmsNorm(x, w, eps).data, dy.data), 1e-6 * scale);
      expect(maxRelErr(dx.data, num)).toBeLessThan(1e-5);
    });
    it(`dweight matches finite differences for x[${shape}] scale ${scale} eps ${eps}`, () => {
      const x = randn(shape, 31, scale);
      const w = randn([d], 32, 1);
      const dy = randn(shape, 33);
      const { dweight } = ref.rmsNormBackward(x, w, dy, eps);
      const num = numericGrad(w, () => dot(ref.rmsNorm(x, w, eps).data, dy.data));
      expect(maxRelErr(dweight.data, num)).toBeLessThan(1e-6);
    });
  }
});
