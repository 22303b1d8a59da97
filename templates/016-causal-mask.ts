// 016 causal-mask: the causal mask (bottom-right aligned), applying a mask to scores, the padding mask.
// Tq = query positions, Tk = key positions (Tq <= Tk), B = batch.
// Masks are MaskTensor = { data: Uint8Array; shape: number[] } with 1 = masked, 0 = kept.
// With a KV cache (Tq < Tk) query i sits at absolute position Tk - Tq + i.
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Tolerance: exact (masks are integers; applyMask copies values and writes -Infinity).
// Submit with: llmdrill submit causal-mask

// causalMask: out is [Tq, Tk]; 1 where key j is in the future of query i.
export function causalMask(Tq: number, Tk: number): MaskTensor {
  // TODO: mark the future keys of each query, bottom-right aligned
  throw new Error("not implemented");
}

// applyMask: scores is [..., Tq, Tk], mask is [Tq, Tk] (broadcast over the leading axes); out is [..., Tq, Tk].
// Masked scores become -Infinity; the others are copied.
export function applyMask(scores: Tensor, mask: MaskTensor): Tensor {
  // TODO: the same mask for every [Tq, Tk] block
  throw new Error("not implemented");
}

// paddingMask: lengths is Int32 [B]; out is [B, Tk]; 1 where key j is padding (j >= lengths[b]).
export function paddingMask(lengths: IntTensor, Tk: number): MaskTensor {
  // TODO: one row per sequence
  throw new Error("not implemented");
}
