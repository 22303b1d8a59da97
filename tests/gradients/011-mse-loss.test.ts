// mseLossBackward against float64 central finite differences of mseLoss.
import { describe, expect, it } from "vitest";
import { maxRelErr, numericGrad, randn, reference64 } from "../helpers/f64.ts";

describe("011 mse-loss backward", async () => {
  const ref = await reference64("011-mse-loss");
  for (const shape of [[1], [5], [3, 4], [2, 3, 2]]) {
    it(`matches finite differences for pred[${shape}]`, () => {
      const pred = randn(shape, 70 + shape.length, 2);
      const target = randn(shape, 80 + shape.length, 2);
      const d = ref.mseLossBackward(pred, target).data;
      const num = numericGrad(pred, () => ref.mseLoss(pred, target));
      expect(maxRelErr(d, num)).toBeLessThan(1e-6);
    });
  }
});
