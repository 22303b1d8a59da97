// batchNormBackward against float64 central finite differences of batchNormTrain's y:
// dx, dgamma and dbeta, with the cache that batchNormTrain returns.
import { describe, expect, it } from "vitest";
import { dot, maxRelErr, numericGrad, randn, reference64 } from "../helpers/f64.ts";

describe("012 batchnorm backward", async () => {
  const ref = await reference64("012-batchnorm");
  // with N = 2 and eps = 1e-5, y = +-gamma almost exactly and dx is ~1e-6: a large eps keeps it measurable
  for (const [N, D, eps] of [[2, 1, 0.5], [2, 3, 1e-5], [4, 3, 1e-5], [7, 5, 1e-3], [16, 2, 1e-5]] as [number, number, number][]) {
    it(`matches finite differences for x[${N},${D}], eps ${eps} (dx, dgamma, dbeta)`, () => {
      const x = randn([N, D], 100 + N, 2);
      for (let i = 0; i < x.data.length; i++) x.data[i] += 1.5; // offset data
      const gamma = randn([D], 32);
      const beta = randn([D], 33);
      const rm = randn([D], 34);
      const rv = { data: Float64Array.from({ length: D }, () => 1), shape: [D] };
      const w = randn([N, D], 35);
      const loss = () => dot(ref.batchNormTrain(x, gamma, beta, rm, rv, 0.1, eps).y.data, w.data);
      const { cache } = ref.batchNormTrain(x, gamma, beta, rm, rv, 0.1, eps);
      const g = ref.batchNormBackward(w, cache);
      const num = numericGrad(x, loss);
      if (N === 2 && eps < 1e-3) {
        // dx is close to 0 and the difference quotient is at its round-off floor: compare absolutely
        const scale = Math.max(1e-3, ...Array.from(num, Math.abs));
        expect(Math.max(...Array.from(num, (v, i) => Math.abs(v - g.dx.data[i])))/ scale).toBeLessThan(1e-6);
      } else expect(maxRelErr(g.dx.data, num)).toBeLessThan(1e-6);
      expect(maxRelErr(g.dgamma.data, numericGrad(gamma, loss))).toBeLessThan(1e-6);
      expect(maxRelErr(g.dbeta.data, numericGrad(beta, loss))).toBeLessThan(1e-6);
    });
  }
});
