// 025 kv-cache: a key/value cache for incremental decoding.
// H = heads, Dh = head width, maxT = capacity in positions, Tnew = positions appended or queried at once.
// Tensor = { data: Float32Array; shape: number[] }, row-major: k[h,t,d] is k.data[(h*Tnew + t)*Dh + d].
// The grader drives your class: new KVCache(maxT, H, Dh); append(k, v) a prefill; length; attend(q);
// then, token by token, append / length / attend; every attend is compared with full causal attention
// over the whole sequence. Copy what append receives into your own preallocated storage.
// Tolerance: atol 1e-5 + 2.5e-7 x (T + Dh), rtol 1e-4 (|got - want| <= atol + rtol * |want|); length exactly.
// Submit with: llmdrill submit kv-cache

export class KVCache {
  // maxT positions of H heads, each of width Dh
  constructor(readonly maxT: number, readonly H: number, readonly Dh: number) {
    // TODO: preallocate the key and value storage
  }

  // the number of cached positions
  get length(): number {
    // TODO
    throw new Error("not implemented");
  }

  // append: k and v are [H, Tnew, Dh]; they become positions length .. length + Tnew - 1.
  // Appending past maxT throws an Error that says so.
  append(k: Tensor, v: Tensor): void {
    // TODO: check room, copy, advance
    throw new Error("not implemented");
  }

  // attend: q is [H, Tnew, Dh], the queries of the LAST Tnew cached positions; out is [H, Tnew, Dh].
  // Query i sits at position length - Tnew + i and sees keys j <= length - Tnew + i; scores scaled by 1/sqrt(Dh).
  attend(q: Tensor): Tensor {
    // TODO: bottom-right causal attention over the cache
    throw new Error("not implemented");
  }
}
