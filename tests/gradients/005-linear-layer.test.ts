// linearBackward against float64 central finite differences of linearForward: dx, dW and db.
import { describe, expect, it } from "vitest";
import { dot, maxRelErr, numericGrad, randn, reference64 } from "../helpers/f64.ts";

describe("005 linear-layer backward", async () => {
  const ref = await reference64("005-linear-layer");
  for (const [xShape, nOut] of [[[1, 3], 2], [[4, 5], 3], [[2, 3, 4], 6], [[3], 1]] as [number[], number][]) {
    const nIn = xShape[xShape.length - 1]!;
    it(`matches finite differences for x[${xShape}], W[${nIn},${nOut}]`, () => {
      const x = randn(xShape, 21);
      const W = randn([nIn, nOut], 22);
      const b = randn([nOut], 23);
      const w = randn([...xShape.slice(0, -1), nOut], 24);
      const loss = () => dot(ref.linearForward(x, W, b).data, w.data);
      const g = ref.linearBackward(x, W, w);
      expect(g.dx.shape).toEqual(xShape);
      expect(g.dW.shape).toEqual([nIn, nOut]);
      expect(g.db.shape).toEqual([nOut]);
      expect(maxRelErr(g.dx.data, numericGrad(x, loss))).toBeLessThan(1e-6);
      expect(maxRelErr(g.dW.data, numericGrad(W, loss))).toBeLessThan(1e-6);
      expect(maxRelErr(g.db.data, numericGrad(b, loss))).toBeLessThan(1e-6);
    });
  }
});
