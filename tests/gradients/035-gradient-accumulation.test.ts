// accumulatedGradient against float64 central finite differences of the full-batch MSE loss,
// and one training step against w - lr * (that gradient).
import { describe, expect, it } from "vitest";
import { maxRelErr, numericGrad, randn, reference64 } from "../helpers/f64.ts";

function mse(X: { data: Float64Array; shape: number[] }, y: { data: Float64Array }, w: { data: Float64Array }): number {
  const [N, D] = X.shape as [number, number];
  let s = 0;
  for (let r = 0; r < N; r++) {
    let p = 0;
    for (let j = 0; j < D; j++) p += X.data[r * D + j]! * w.data[j]!;
    s += (p - y.data[r]!) ** 2;
  }
  return s / N;
}

describe("035 gradient accumulation", async () => {
  const ref = await reference64("035-gradient-accumulation");
  for (const [M, A, D] of [[2, 2, 2], [1, 5, 3], [3, 4, 6]] as const) {
    it(`accumulated gradient matches finite differences of the full-batch loss (M ${M}, A ${A}, D ${D})`, () => {
      const X = randn([M * A, D], 7 + D);
      const y = randn([M * A], 8 + D);
      const w = randn([D], 9 + D);
      const g = ref.accumulatedGradient(X, y, w, M, A).data;
      const num = numericGrad(w, () => mse(X, y, w));
      expect(maxRelErr(g, num)).toBeLessThan(1e-6);
      const stepped = ref.trainWithAccumulation(X, y, w, M, A, 0.1, 1).data;
      for (let j = 0; j < D; j++) expect(stepped[j]).toBeCloseTo(w.data[j]! - 0.1 * num[j]!, 8);
    });
  }
});
