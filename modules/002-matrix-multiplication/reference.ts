// 002 matrix-multiplication: reference solution.
// B = batch, M = rows of a, K = shared (reduction) dimension, N = columns of b.
// Accumulate each dot product in a JS number (float64), store the result as float32.

// matmul: a is [M,K], b is [K,N], out is [M,N]; out[i,j] = sum_k a[i,k] * b[k,j]
export function matmul(a: Tensor, b: Tensor): Tensor {
  const [M, K] = a.shape;
  const N = b.shape[1];
  const out = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a.data[i * K + k] * b.data[k * N + j];
      out[i * N + j] = s;
    }
  }
  return { data: out, shape: [M, N] };
}

// batchedMatmul: a is [B,M,K], b is [B,K,N], out is [B,M,N]; one matmul per batch entry
export function batchedMatmul(a: Tensor, b: Tensor): Tensor {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  const out = new Float32Array(B * M * N);
  for (let z = 0; z < B; z++) {
    const ao = z * M * K, bo = z * K * N, oo = z * M * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a.data[ao + i * K + k] * b.data[bo + k * N + j];
        out[oo + i * N + j] = s;
      }
    }
  }
  return { data: out, shape: [B, M, N] };
}
