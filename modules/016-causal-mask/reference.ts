// 016 causal-mask: reference solution.
// Tq = query positions, Tk = key positions (Tq <= Tk), B = batch. Masks: 1 = masked, 0 = kept.
// With a cache (Tq < Tk) queries are aligned bottom-right: query i sits at absolute position Tk - Tq + i.

// causalMask: out is [Tq, Tk]; out[i, j] = 1 when key j is in the future of query i (j > Tk - Tq + i)
export function causalMask(Tq: number, Tk: number): MaskTensor {
  const out = new Uint8Array(Tq * Tk);
  const offset = Tk - Tq;
  for (let i = 0; i < Tq; i++) {
    for (let j = 0; j < Tk; j++) out[i * Tk + j] = j > offset + i ? 1 : 0;
  }
  return { data: out, shape: [Tq, Tk] };
}

// applyMask: scores is [..., Tq, Tk], mask is [Tq, Tk] (broadcast over the leading axes); out is [..., Tq, Tk]
// masked scores become -Infinity, the others are copied
export function applyMask(scores: Tensor, mask: MaskTensor): Tensor {
  const block = mask.data.length;
  const out = new Float32Array(scores.data.length);
  for (let b = 0; b < scores.data.length; b += block) {
    for (let k = 0; k < block; k++) out[b + k] = mask.data[k] ? -Infinity : scores.data[b + k];
  }
  return { data: out, shape: [...scores.shape] };
}

// paddingMask: lengths is Int32 [B], out is [B, Tk]; out[b, j] = 1 when j >= lengths[b] (a padding key)
export function paddingMask(lengths: IntTensor, Tk: number): MaskTensor {
  const B = lengths.data.length;
  const out = new Uint8Array(B * Tk);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < Tk; j++) out[b * Tk + j] = j >= lengths.data[b] ? 1 : 0;
  }
  return { data: out, shape: [B, Tk] };
}
