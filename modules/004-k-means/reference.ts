// 004 k-means: reference solution (Lloyd's algorithm).
// N = points, D = dimensions, K = clusters. Distances are squared Euclidean, computed from direct
// differences in float64: sum_d (x_d - c_d)^2 (the expansion |x|^2 - 2 x.c + |c|^2 cancels badly).

// pairwiseSqDist: X is [N,D], C is [K,D]; out is [N,K], out[i,k] = |X[i] - C[k]|^2
export function pairwiseSqDist(X: Tensor, C: Tensor): Tensor {
  const [N, D] = X.shape;
  const K = C.shape[0];
  const out = new Float32Array(N * K);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let d = 0; d < D; d++) {
        const diff = X.data[i * D + d] - C.data[k * D + d];
        s += diff * diff;
      }
      out[i * K + k] = s;
    }
  }
  return { data: out, shape: [N, K] };
}

// assign: X is [N,D], C is [K,D]; labels is Int32 [N], the nearest centroid (ties: lower index)
export function assign(X: Tensor, C: Tensor): IntTensor {
  const [N, D] = X.shape;
  const K = C.shape[0];
  const labels = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let best = Infinity;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let d = 0; d < D; d++) {
        const diff = X.data[i * D + d] - C.data[k * D + d];
        s += diff * diff;
      }
      if (s < best) {
        // strict <: on a tie the lower index keeps its place
        best = s;
        labels[i] = k;
      }
    }
  }
  return { data: labels, shape: [N] };
}

// updateCentroids: X is [N,D], labels Int32 [N], C is [K,D]; out is [K,D]:
// the mean of the points labelled k, or C[k] unchanged when no point is labelled k
export function updateCentroids(X: Tensor, labels: IntTensor, C: Tensor): Tensor {
  const [N, D] = X.shape;
  const K = C.shape[0];
  const sums = new Float64Array(K * D);
  const counts = new Int32Array(K);
  for (let i = 0; i < N; i++) {
    const k = labels.data[i];
    counts[k]++;
    for (let d = 0; d < D; d++) sums[k * D + d] += X.data[i * D + d];
  }
  const out = new Float32Array(K * D);
  for (let k = 0; k < K; k++) {
    for (let d = 0; d < D; d++) out[k * D + d] = counts[k] > 0 ? sums[k * D + d] / counts[k] : C.data[k * D + d];
  }
  return { data: out, shape: [K, D] };
}

// kmeans: X is [N,D], C0 is [K,D]; at most iters rounds of (assign, update), stopping early once the
// labels repeat; returns the final centroids [K,D], the labels of those centroids Int32 [N] and the
// inertia sum_i |X[i] - centroids[labels[i]]|^2 (a number)
export function kmeans(X: Tensor, C0: Tensor, iters: number): { centroids: Tensor; labels: IntTensor; inertia: number } {
  const [N, D] = X.shape;
  let C: Tensor = { data: new Float32Array(C0.data), shape: [...C0.shape] };
  let prev: Int32Array | null = null;
  for (let t = 0; t < iters; t++) {
    const labels = assign(X, C);
    if (prev !== null && labels.data.every((v, i) => v === prev![i])) break; // settled: C is a fixed point
    C = updateCentroids(X, labels, C);
    prev = labels.data;
  }
  const labels = assign(X, C);
  let inertia = 0;
  for (let i = 0; i < N; i++) {
    const k = labels.data[i];
    for (let d = 0; d < D; d++) {
      const diff = X.data[i * D + d] - C.data[k * D + d];
      inertia += diff * diff;
    }
  }
  return { centroids: C, labels, inertia };
}
