// 016 causal-mask: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { IntTensor, MaskTensor, Mistake, Tensor } from "../../src/core/types.ts";

function maskFrom(Tq: number, Tk: number, masked: (i: number, j: number) => boolean): MaskTensor {
  const out = new Uint8Array(Tq * Tk);
  for (let i = 0; i < Tq; i++) for (let j = 0; j < Tk; j++) out[i * Tk + j] = masked(i, j) ? 1 : 0;
  return { data: out, shape: [Tq, Tk] };
}

function fill(scores: Tensor, mask: MaskTensor, value: number, blocks = Infinity): Tensor {
  const n = mask.data.length;
  const out = Float32Array.from(scores.data);
  for (let b = 0, k = 0; b < out.length && k < blocks; b += n, k++) {
    for (let i = 0; i < n; i++) if (mask.data[i]) out[b + i] = value;
  }
  return { data: out, shape: [...scores.shape] };
}

function padding(lengths: IntTensor, Tk: number, masked: (j: number, len: number) => boolean): MaskTensor {
  const B = lengths.data.length;
  const out = new Uint8Array(B * Tk);
  for (let b = 0; b < B; b++) for (let j = 0; j < Tk; j++) out[b * Tk + j] = masked(j, lengths.data[b]!) ? 1 : 0;
  return { data: out, shape: [B, Tk] };
}

export const mistakes: Mistake[] = [
  {
    id: "diagonal-masked",
    title: "the diagonal masked too (j >= i instead of j > i): off by one",
    lesson: "a token attends to itself: query i keeps keys j <= i (with a cache, j <= Tk - Tq + i). Masking the diagonal leaves row 0 with every key masked, so its softmax is 0/0 = NaN. Mask only j > Tk - Tq + i",
    impl: { causalMask: (Tq: number, Tk: number) => maskFrom(Tq, Tk, (i, j) => j >= Tk - Tq + i) },
  },
  {
    id: "top-left-aligned",
    title: "top-left alignment when Tq < Tk (j > i, ignoring the cached keys)",
    lesson: "with a cache of Tk - Tq earlier keys, query i is at absolute position Tk - Tq + i and may see keys j <= Tk - Tq + i. Masking j > i hides the cached past: for Tq = 1, Tk = 6 the new token would see only key 0 instead of all 6. (PyTorch's is_causal and ONNX Attention's is_causal align top-left; pass an explicit mask when decoding)",
    impl: { causalMask: (Tq: number, Tk: number) => maskFrom(Tq, Tk, (i, j) => j > i) },
  },
  {
    id: "mask-inverted",
    title: "mask inverted (1 = visible, the convention of Hugging Face's attention_mask)",
    lesson: "here 1 = masked (as PyTorch's boolean attn_mask in nn.MultiheadAttention and key_padding_mask): the future keys j > Tk - Tq + i get 1, the visible ones 0. Hugging Face's attention_mask uses the opposite convention; check which one an API expects",
    impl: { causalMask: (Tq: number, Tk: number) => maskFrom(Tq, Tk, (i, j) => j <= Tk - Tq + i) },
  },
  {
    id: "fill-large-negative",
    title: "masked scores set to -1e9 instead of -Infinity",
    lesson: "the contract puts -Infinity in masked scores so that exp gives exactly 0 and a fully masked row shows up as NaN instead of silently averaging. -1e9 behaves only while real scores are far smaller (and overflows to -inf in float16, whose min is -65504). Use -Infinity",
    impl: { applyMask: (scores: Tensor, mask: MaskTensor) => fill(scores, mask, -1e9) },
  },
  {
    id: "fill-zero",
    title: "masked scores set to 0 instead of -Infinity",
    lesson: "a score of 0 is not excluded: exp(0) = 1 gives the future key as much weight as a neutral one. Zeroing belongs to probabilities after softmax (and then rows must be renormalised); on scores, use -Infinity",
    impl: { applyMask: (scores: Tensor, mask: MaskTensor) => fill(scores, mask, 0) },
  },
  {
    id: "first-block-only",
    title: "mask applied to the first [Tq, Tk] block only (no broadcast over batch and heads)",
    lesson: "scores [B, H, Tq, Tk] hold B*H blocks of Tq*Tk values and the same [Tq, Tk] mask applies to every block: index the mask with (position % (Tq*Tk))",
    impl: { applyMask: (scores: Tensor, mask: MaskTensor) => fill(scores, mask, -Infinity, 1) },
  },
  {
    id: "padding-off-by-one",
    title: "padding mask marks j > length instead of j >= length",
    lesson: "a sequence of length L holds keys 0..L-1, so key L is already padding: mask j >= lengths[b]. With L = 3 and Tk = 4 the mask is [0, 0, 0, 1], not [0, 0, 0, 0]",
    impl: { paddingMask: (lengths: IntTensor, Tk: number) => padding(lengths, Tk, (j, len) => j > len) },
  },
  {
    id: "padding-inverted",
    title: "padding mask inverted (1 = real token, Hugging Face's attention_mask)",
    lesson: "this contract marks padding with 1 (keys j >= lengths[b]); Hugging Face's attention_mask marks real tokens with 1. Mixing the two masks every real token and keeps the padding",
    impl: { paddingMask: (lengths: IntTensor, Tk: number) => padding(lengths, Tk, (j, len) => j < len) },
  },
];
