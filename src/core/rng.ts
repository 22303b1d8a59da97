// Seeded randomness for cases: a seed is printed with every verdict, so any case can be replayed.

/** mulberry32 uniform generator with normals (Box-Muller) and helpers for shapes. */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Standard normal. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Float32 tensor of normals times scale. */
  tensor(shape: number[], scale = 1, shift = 0): { data: Float32Array; shape: number[] } {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = shift + scale * this.normal();
    return { data, shape: [...shape] };
  }
  /** Float32 tensor uniform in [lo, hi). */
  uniform(shape: number[], lo = 0, hi = 1): { data: Float32Array; shape: number[] } {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * this.next();
    return { data, shape: [...shape] };
  }
}

/** A fresh seed when the learner gives none: 1..2^31-1, short enough to type. */
export function freshSeed(): number {
  return 1 + Math.floor(Math.random() * 2147483646);
}
