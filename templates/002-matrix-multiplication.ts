// 002 matrix-multiplication: the matrix product, plain and batched.
// B = batch, M = rows of a, K = shared (reduction) dimension, N = columns of b.
// Tensor = { data: Float32Array; shape: number[] }, row-major: a[i,k] is a.data[i*K + k].
// Return new tensors; never modify inputs.
// Tolerance: atol 1e-6 + 2.5e-7*K, rtol 1e-5 (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit matrix-multiplication

// matmul: a is [M,K], b is [K,N]; out is [M,N] with out[i,j] = sum_k a[i,k] * b[k,j].
export function matmul(a: Tensor, b: Tensor): Tensor {
  // TODO: one dot product per output element (i, j)
  throw new Error("not implemented");
}

// batchedMatmul: a is [B,M,K], b is [B,K,N]; out is [B,M,N] with out[z] = a[z] @ b[z].
export function batchedMatmul(a: Tensor, b: Tensor): Tensor {
  // TODO: the same product for each batch entry z, with each tensor's own batch offset
  throw new Error("not implemented");
}
