// klDivergenceBackward (gradient with respect to qLogits) against float64 central finite differences of klDivergence.
import { describe, expect, it } from "vitest";
import { numericGrad, randn, reference64 } from "../helpers/f64.ts";

// Largest |a - b| / (1e-4 + |b|): gradient entries of unlikely classes are ~1e-9, below what a finite
// difference of an O(1) loss resolves (~1e-10 absolute), so a purely relative error would measure roundoff.
function err(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / (1e-4 + Math.abs(b[i]!)));
  return m;
}

describe("010 kl-divergence backward", async () => {
  const ref = await reference64("010-kl-divergence");
  for (const [n, v, scale, masked] of [[1, 4, 1, false], [3, 5, 2, false], [5, 8, 4, false], [4, 6, 2, true]] as const) {
    it(`matches finite differences for [${n},${v}] scale ${scale}${masked ? " with -Infinity logits in P" : ""}`, () => {
      const p = randn([n, v], 50 + n, scale);
      const q = randn([n, v], 60 + n, scale);
      if (masked) for (let i = 0; i < p.data.length; i++) if (i % v !== 0 && i % 3 === 1) p.data[i] = -Infinity;
      const dq = ref.klDivergenceBackward(p, q).data;
      // h = 1e-4: truncation and roundoff errors both near 1e-9
      const num = numericGrad(q, () => ref.klDivergence(p, q), 1e-4);
      expect(err(dq, num)).toBeLessThan(1e-6);
    });
  }
});
