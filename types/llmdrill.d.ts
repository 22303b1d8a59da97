// llmdrill's tensor types, visible in every drill file without an import.
// Row-major and contiguous: element [i, j, k] of a [A, B, C] tensor is data[(i * B + j) * C + k].

/** Float tensor: activations, weights, gradients, probabilities. */
type Tensor = { data: Float32Array; shape: number[] };

/** Integer tensor: token ids, labels, class indices. */
type IntTensor = { data: Int32Array; shape: number[] };

/** Boolean mask stored as bytes: 1 = masked (excluded), 0 = kept. */
type MaskTensor = { data: Uint8Array; shape: number[] };
