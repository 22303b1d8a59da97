// 025 kv-cache: known mistakes as wrong variants of the reference class.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { KVCache } from "./reference.ts";

/** A cache whose attend uses a given visibility rule (query position pos, key j, Tnew, index i). */
function withVisibility(visible: (j: number, pos: number, i: number) => boolean) {
  return class extends KVCache {
    override attend(q: Tensor): Tensor {
      const [H, Tnew, Dh] = q.shape as [number, number, number];
      // the reference's private buffers, read through a cast
      const self = this as unknown as { keys: Float32Array; values: Float32Array; len: number; maxT: number };
      const out = new Float32Array(H * Tnew * Dh);
      for (let h = 0; h < H; h++) {
        for (let i = 0; i < Tnew; i++) {
          const pos = self.len - Tnew + i;
          const s: number[] = [];
          for (let j = 0; j < self.len; j++) {
            let dot = 0;
            for (let d = 0; d < Dh; d++) dot += q.data[(h * Tnew + i) * Dh + d]! * self.keys[(h * self.maxT + j) * Dh + d]!;
            s.push(visible(j, pos, i) ? dot / Math.sqrt(Dh) : -Infinity);
          }
          const m = Math.max(...s);
          const e = s.map((x) => Math.exp(x - m));
          const z = e.reduce((a, b) => a + b, 0);
          for (let d = 0; d < Dh; d++) {
            let acc = 0;
            for (let j = 0; j < self.len; j++) acc += e[j]! * self.values[(h * self.maxT + j) * Dh + d]!;
            out[(h * Tnew + i) * Dh + d] = acc / z;
          }
        }
      }
      return { data: out, shape: [H, Tnew, Dh] };
    }
  };
}

class NoOverflowCheck extends KVCache {
  override append(k: Tensor, v: Tensor): void {
    const self = this as unknown as { len: number; maxT: number };
    const room = self.maxT - self.len;
    const take = Math.min(room, k.shape[1]!);
    const cut = (t: Tensor): Tensor => {
      const [H, Tn, Dh] = t.shape as [number, number, number];
      const data = new Float32Array(H * take * Dh);
      for (let h = 0; h < H; h++) data.set(t.data.subarray(h * Tn * Dh, h * Tn * Dh + take * Dh), h * take * Dh);
      return { data, shape: [H, take, Dh] };
    };
    super.append(cut(k), cut(v));
  }
}

class LengthCountsCalls extends KVCache {
  private calls = 0;
  override append(k: Tensor, v: Tensor): void {
    super.append(k, v);
    this.calls++;
  }
  override get length(): number {
    return this.calls;
  }
}

/** Keeps the caller's k and v objects and reads them at attend time, instead of copying at append. */
class KeepsReferences extends KVCache {
  private chunks: { k: Tensor; v: Tensor }[] = [];
  override append(k: Tensor, v: Tensor): void {
    super.append(k, v);
    this.chunks.push({ k, v });
  }
  override attend(q: Tensor): Tensor {
    const self = this as unknown as { keys: Float32Array; values: Float32Array; maxT: number };
    let t0 = 0;
    for (const { k, v } of this.chunks) {
      const [H, Tn, Dh] = k.shape as [number, number, number];
      for (let h = 0; h < H; h++) for (let t = 0; t < Tn; t++) for (let d = 0; d < Dh; d++) {
        self.keys[(h * self.maxT + t0 + t) * Dh + d] = k.data[(h * Tn + t) * Dh + d]!;
        self.values[(h * self.maxT + t0 + t) * Dh + d] = v.data[(h * Tn + t) * Dh + d]!;
      }
      t0 += Tn;
    }
    return super.attend(q);
  }
}

export const mistakes: Mistake[] = [
  {
    id: "keeps-references",
    title: "append keeps the caller's k and v arrays instead of copying them",
    lesson: "a decoding loop reuses its buffers: the k and v passed to append are overwritten by the next step, so a cache that stored references sees every cached position turn into the newest one. Copy the values into the cache's own [H, maxT, Dh] storage at append",
    impl: { KVCache: KeepsReferences },
  },
  {
    id: "top-left-mask",
    title: "causal mask aligned top-left (query i sees keys j <= i)",
    lesson: "the Tnew queries are the LAST Tnew positions: query i sits at length - Tnew + i and sees every key up to there. Top-left alignment hides the cached prefix from a chunk of new tokens",
    impl: { KVCache: withVisibility((j, _pos, i) => j <= i) },
  },
  {
    id: "no-mask-within-chunk",
    title: "every cached key visible to every new query",
    lesson: "when several tokens are appended at once (prefill, chunked prefill, speculative decoding), a query must not see the keys after its own position: mask j > length - Tnew + i",
    impl: { KVCache: withVisibility(() => true) },
  },
  {
    id: "no-overflow-error",
    title: "appending past maxT silently drops positions",
    lesson: "without a check an overflowing append either vanishes (a typed array ignores writes past its end: the last head) or overwrites the next head's first positions (index (h*maxT + t)*Dh with t >= maxT): check length + Tnew <= maxT and throw an Error that names both",
    impl: { KVCache: NoOverflowCheck },
  },
  {
    id: "length-counts-calls",
    title: "length counts append calls instead of positions",
    lesson: "a prefill appends many positions in one call: length is the number of cached positions (the sum of Tnew), which is also where the next append writes",
    impl: { KVCache: LengthCountsCalls },
  },
];
