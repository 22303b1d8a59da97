// layerNormBackward against float64 central finite differences of layerNorm, for dx, dgamma and dbeta.
import { describe, expect, it } from "vitest";
import { dot, maxRelErr, numericGrad, randn, reference64 } from "../helpers/f64.ts";

describe("014 layernorm backward", async () => {
  const ref = await reference64("014-layernorm");
  for (const shape of [[1, 4], [3, 5], [2, 2, 6]]) {
    it(`matches finite differences for x[${shape}]`, () => {
      const d = shape[shape.length - 1]!;
      const x = randn(shape, 21, 1.5);
      const gamma = randn([d], 22);
      const beta = randn([d], 23);
      const w = randn(shape, 24);
      const eps = 1e-5;
      const loss = () => dot(ref.layerNorm(x, gamma, beta, eps).data, w.data);
      const g = ref.layerNormBackward(x, gamma, w, eps);
      expect(maxRelErr(g.dx.data, numericGrad(x, loss))).toBeLessThan(1e-5);
      expect(maxRelErr(g.dgamma.data, numericGrad(gamma, loss))).toBeLessThan(1e-5);
      expect(maxRelErr(g.dbeta.data, numericGrad(beta, loss))).toBeLessThan(1e-5);
    });
  }
});
