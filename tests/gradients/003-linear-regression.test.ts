// gradientStep's gradient against float64 central finite differences of its own loss:
// with lr = 1 the step is w - dL/dw and b - dL/db, so both gradients are read off the update.
import { describe, expect, it } from "vitest";
import { maxRelErr, numericGrad, randn, reference64 } from "../helpers/f64.ts";

describe("003 linear-regression gradient", async () => {
  const ref = await reference64("003-linear-regression");
  for (const [N, D] of [[1, 1], [5, 3], [12, 4], [64, 2]] as [number, number][]) {
    it(`matches finite differences for X[${N},${D}] (dw, db)`, () => {
      const X = randn([N, D], 40 + N);
      const y = randn([N], 50 + N, 2);
      const w = randn([D], 60 + D);
      const b = randn([1], 70);
      const loss = () => ref.gradientStep(X, y, w, b.data[0], 0).loss as number;
      const out = ref.gradientStep(X, y, w, b.data[0], 1);
      const dw = Float64Array.from(w.data, (v, j) => v - out.w.data[j]);
      const db = Float64Array.of(b.data[0]! - out.b);
      expect(maxRelErr(dw, numericGrad(w, loss))).toBeLessThan(1e-6);
      expect(maxRelErr(db, numericGrad(b, loss))).toBeLessThan(1e-6);
    });
  }
  it("the fit is a stationary point of the loss (gradient ~ 0 at the normal-equation solution)", () => {
    const X = randn([20, 3], 81);
    const y = randn([20], 82);
    const fit = ref.fitNormalEquations(X, y);
    const out = ref.gradientStep(X, y, fit.w, fit.b, 1);
    for (let j = 0; j < 3; j++) expect(Math.abs(fit.w.data[j] - out.w.data[j])).toBeLessThan(1e-12);
    expect(Math.abs(fit.b - out.b)).toBeLessThan(1e-12);
  });
});
