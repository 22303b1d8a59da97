// crossEntropyBackward against float64 central finite differences of crossEntropy.
import { describe, expect, it } from "vitest";
import { numericGrad, randn, reference64 } from "../helpers/f64.ts";

// Largest |a - b| / (1e-4 + |b|): gradients of unlikely classes are ~1e-9, below what a finite difference
// of an O(1) loss resolves (~1e-10 absolute), so a purely relative error would measure roundoff.
function err(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / (1e-4 + Math.abs(b[i]!)));
  return m;
}

describe("009 cross-entropy backward", async () => {
  const ref = await reference64("009-cross-entropy");
  for (const [n, v, scale] of [[1, 5, 1], [3, 4, 2], [6, 10, 5], [2, 1, 1]] as const) {
    it(`matches finite differences for logits[${n},${v}] scale ${scale}`, () => {
      const logits = randn([n, v], 40 + n, scale);
      const targets = { data: Int32Array.from({ length: n }, (_, r) => (r * 7 + 3) % v), shape: [n] };
      const d = ref.crossEntropyBackward(logits, targets).data;
      // h = 1e-4: truncation and roundoff errors both near 1e-9
      const num = numericGrad(logits, () => ref.crossEntropy(logits, targets), 1e-4);
      expect(err(d, num)).toBeLessThan(1e-6);
    });
  }
});
