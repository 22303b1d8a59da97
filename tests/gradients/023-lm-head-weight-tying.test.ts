// tiedEmbeddingGrad against float64 central finite differences of the tied model's two uses of E:
// L(E) = sum(embedding(ids, E) * dEmbOut) + sum(tiedLogits(h, E) * dLogits), differentiated with respect to E.
// The head-path check (dEmbOut = 0) and the embedding-path check (dLogits = 0) are also run alone.
import { describe, expect, it } from "vitest";
import { dot, maxRelErr, numericGrad, randn, reference64, type T64 } from "../helpers/f64.ts";

// embedding lookup in float64: ids [N], E [V,D]; out [N,D]
function gather(ids: Int32Array, E: T64): Float64Array {
  const D = E.shape[1]!;
  const out = new Float64Array(ids.length * D);
  for (let n = 0; n < ids.length; n++) for (let d = 0; d < D; d++) out[n * D + d] = E.data[ids[n]! * D + d]!;
  return out;
}

const zeros = (shape: number[]): T64 => ({ data: new Float64Array(shape.reduce((a, b) => a * b, 1)), shape });

describe("023 tied embedding gradient", async () => {
  const ref = await reference64("023-lm-head-weight-tying");
  const configs: { B: number; T: number; D: number; V: number; ids: number[] }[] = [
    { B: 1, T: 2, D: 3, V: 4, ids: [1, 3] },
    { B: 1, T: 5, D: 3, V: 6, ids: [2, 0, 2, 5, 2] }, // repeated ids
    { B: 2, T: 3, D: 4, V: 7, ids: [0, 6, 6, 3, 0, 1] },
  ];
  for (const { B, T, D, V, ids: idList } of configs) {
    const ids = { data: Int32Array.from(idList), shape: [B, T] };
    const E = randn([V, D], 100 + V, 1);
    const h = randn([B, T, D], 200 + V);
    const dEmb = randn([B, T, D], 300 + V);
    const dLogits = randn([B, T, V], 400 + V, 0.5);
    const check = (dEmbOut: T64, dL: T64) => {
      const got = ref.tiedEmbeddingGrad(ids, dEmbOut, h, dL, V).data as Float64Array;
      const num = numericGrad(E, () => dot(gather(ids.data, E), dEmbOut.data) + dot(ref.tiedLogits(h, E).data, dL.data));
      return maxRelErr(got, num);
    };
    it(`both paths: dE matches finite differences for ids[${B},${T}], D ${D}, V ${V}`, () => {
      expect(check(dEmb, dLogits)).toBeLessThan(1e-6);
    });
    it(`head path alone (dEmbOut = 0) for V ${V}`, () => {
      expect(check(zeros([B, T, D]), dLogits)).toBeLessThan(1e-6);
    });
    it(`embedding path alone (dLogits = 0) for V ${V}`, () => {
      expect(check(dEmb, zeros([B, T, V]))).toBeLessThan(1e-6);
    });
  }
});
