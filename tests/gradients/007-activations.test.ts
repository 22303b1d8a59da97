// Every activation's backward against float64 central finite differences of its forward.
import { describe, expect, it } from "vitest";
import { dot, numericGrad, randn, reference64 } from "../helpers/f64.ts";

// Largest |a - b| / (atol + |b|): in saturated regions (|x| ~ 10) the derivatives are ~1e-8 and the finite
// difference itself is only good to ~1e-10 absolute, so a purely relative error would measure roundoff.
function err(a: ArrayLike<number>, b: ArrayLike<number>, atol = 1e-4): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / (atol + Math.abs(b[i]!)));
  return m;
}

const BOUND: Record<string, number> = { relu: 1e-6, sigmoid: 1e-6, tanh: 1e-6, gelu: 1e-6, geluTanh: 1e-6, silu: 1e-6 };
// exact GELU's forward uses an erf good to 1.5e-7 (Abramowitz & Stegun 7.1.26) while its backward is the exact
// Phi(x) + x phi(x): the slope of that erf's error, at most 5.3e-7 over [-12, 12], separates them, so GELU is
// held to an absolute bound (atol 1 makes err absolute where |dx| < 1)
const ATOL: Record<string, number> = { gelu: 1 };

describe("007 activations backward", async () => {
  const ref = await reference64("007-activations");
  for (const fn of Object.keys(BOUND)) {
    for (const [shape, scale] of [[[7], 1], [[3, 4], 3], [[2, 2, 5], 6]] as const) {
      it(`${fn}Backward matches finite differences for x[${shape}] scale ${scale}`, () => {
        const x = randn([...shape], 21 + shape.length, scale);
        const w = randn([...shape], 31 + shape.length);
        const dx = ref[`${fn}Backward`]!(x, w).data;
        // h = 1e-4: truncation (h^2 f'''/6) and roundoff (1e-16 |loss| / h) both stay near 1e-9
        const num = numericGrad(x, () => dot(ref[fn]!(x).data, w.data), 1e-4);
        expect(err(dx, num, ATOL[fn])).toBeLessThan(BOUND[fn]!);
      });
    }
  }
  it("reluBackward is 0 at x = 0 (relu'(0) = 0)", () => {
    const dx = ref.reluBackward!({ data: Float64Array.from([0, -0]), shape: [2] }, { data: Float64Array.from([1, 1]), shape: [2] }).data;
    expect(Array.from(dx)).toEqual([0, 0]);
  });
  it("backward passes are finite and exact at x = +-800", () => {
    const x = { data: Float64Array.from([-800, 800]), shape: [2] };
    const dy = { data: Float64Array.from([1, 1]), shape: [2] };
    const want: Record<string, number[]> = { sigmoid: [0, 0], tanh: [0, 0], gelu: [0, 1], geluTanh: [0, 1], silu: [0, 1] };
    for (const [fn, w] of Object.entries(want)) expect(Array.from(ref[`${fn}Backward`]!(x, dy).data, (v: number) => v + 0), fn).toEqual(w);
  });
});
