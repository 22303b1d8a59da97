// embeddingBackward against float64 central finite differences of embeddingForward, with repeated ids.
import { describe, expect, it } from "vitest";
import { dot, maxRelErr, numericGrad, randn, reference64 } from "../helpers/f64.ts";

describe("006 embedding backward", async () => {
  const ref = await reference64("006-embedding");
  const cases: { ids: number[]; shape: number[]; V: number; D: number }[] = [
    { ids: [1, 0, 3, 3, 3, 2], shape: [2, 3], V: 5, D: 2 },
    { ids: [2, 2, 2, 2], shape: [1, 4], V: 3, D: 4 },
    { ids: [0, 6, 1, 6, 0, 2, 5, 6], shape: [4, 2], V: 7, D: 3 },
  ];
  for (const { ids: idList, shape, V, D } of cases) {
    it(`matches finite differences for ids[${shape}] = [${idList}], E[${V},${D}]`, () => {
      const ids = { data: Int32Array.from(idList), shape };
      const E = randn([V, D], 31);
      const w = randn([...shape, D], 32);
      const dE = ref.embeddingBackward(ids, w, V);
      expect(dE.shape).toEqual([V, D]);
      const num = numericGrad(E, () => dot(ref.embeddingForward(ids, E).data, w.data));
      expect(maxRelErr(dE.data, num)).toBeLessThan(1e-6);
    });
  }
});
