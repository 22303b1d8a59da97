// softmaxBackward against float64 central finite differences of softmax.
import { describe, expect, it } from "vitest";
import { dot, maxRelErr, numericGrad, randn, reference64 } from "../helpers/f64.ts";

describe("008 softmax backward", async () => {
  const ref = await reference64("008-softmax");
  for (const shape of [[1, 5], [3, 4], [2, 2, 7]]) {
    it(`matches finite differences for x[${shape}]`, () => {
      const x = randn(shape, 11, 2);
      const w = randn(shape, 12);
      const y = ref.softmax(x);
      const dx = ref.softmaxBackward(y, w).data;
      const num = numericGrad(x, () => dot(ref.softmax(x).data, w.data));
      expect(maxRelErr(dx, num)).toBeLessThan(1e-6);
    });
  }
});
