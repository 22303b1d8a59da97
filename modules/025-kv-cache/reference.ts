// 025 kv-cache: reference solution.
// H = heads, Dh = head width, maxT = capacity in positions, Tnew = positions added or queried at once.
// The cache holds keys and values [H, maxT, Dh]; attend(q) treats q's Tnew rows as the queries of the
// LAST Tnew cached positions (bottom-right causal): query i sits at length - Tnew + i and sees keys
// j <= length - Tnew + i.

export class KVCache {
  private readonly keys: Float32Array; // [H, maxT, Dh]
  private readonly values: Float32Array; // [H, maxT, Dh]
  private len = 0;

  constructor(readonly maxT: number, readonly H: number, readonly Dh: number) {
    this.keys = new Float32Array(H * maxT * Dh);
    this.values = new Float32Array(H * maxT * Dh);
  }

  get length(): number {
    return this.len;
  }

  // append: k and v are [H, Tnew, Dh]; copies them into positions length .. length + Tnew - 1
  append(k: Tensor, v: Tensor): void {
    const [H, Tnew, Dh] = k.shape;
    if (this.len + Tnew > this.maxT) {
      throw new Error(`KVCache overflow: ${this.len} cached + ${Tnew} new > maxT ${this.maxT}`);
    }
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < Tnew; t++) {
        const src = (h * Tnew + t) * Dh;
        const dst = (h * this.maxT + this.len + t) * Dh;
        for (let d = 0; d < Dh; d++) {
          this.keys[dst + d] = k.data[src + d];
          this.values[dst + d] = v.data[src + d];
        }
      }
    }
    this.len += Tnew;
  }

  // attend: q is [H, Tnew, Dh], the queries of the last Tnew positions; out is [H, Tnew, Dh]
  attend(q: Tensor): Tensor {
    const [H, Tnew, Dh] = q.shape;
    const out = new Float32Array(H * Tnew * Dh);
    const scale = 1 / Math.sqrt(Dh);
    const p = new Float64Array(this.len);
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < Tnew; i++) {
        const last = this.len - Tnew + i; // the query's own position
        let max = -Infinity;
        for (let j = 0; j <= last; j++) {
          let s = 0;
          for (let d = 0; d < Dh; d++) s += q.data[(h * Tnew + i) * Dh + d] * this.keys[(h * this.maxT + j) * Dh + d];
          p[j] = s * scale;
          if (p[j] > max) max = p[j];
        }
        let sum = 0;
        for (let j = 0; j <= last; j++) {
          p[j] = Math.exp(p[j] - max);
          sum += p[j];
        }
        for (let d = 0; d < Dh; d++) {
          let acc = 0;
          for (let j = 0; j <= last; j++) acc += p[j] * this.values[(h * this.maxT + j) * Dh + d];
          out[(h * Tnew + i) * Dh + d] = acc / sum;
        }
      }
    }
    return { data: out, shape: [H, Tnew, Dh] };
  }
}
