// 004 k-means: Lloyd's algorithm in four functions.
// N = points, D = dimensions, K = clusters. Squared Euclidean distances, from direct differences
// sum_d (x_d - c_d)^2 accumulated in float64 (plain JS numbers); the shortcut |x|^2 - 2 x.c + |c|^2
// loses precision on data far from the origin. Labels are Int32 tensors.
// Ties go to the lower centroid index; an empty cluster keeps its previous centroid.
// Return new tensors; never modify inputs.
// Tolerance: distances, centroids, inertia atol 1e-5, rtol 1e-5; labels exact
//   (|got - want| <= atol + rtol * |want|). kmeans outputs are also checked for consistency:
//   labels nearest to the returned centroids, inertia of those labels, never above an earlier round's.
// Submit with: llmdrill submit k-means

// pairwiseSqDist: X is [N,D], C is [K,D]; out is [N,K], out[i,k] = |X[i] - C[k]|^2
export function pairwiseSqDist(X: Tensor, C: Tensor): Tensor {
  // TODO: for each (i, k): sum of squared differences
  throw new Error("not implemented");
}

// assign: X is [N,D], C is [K,D]; labels Int32 [N], the nearest centroid (ties: lower index)
export function assign(X: Tensor, C: Tensor): IntTensor {
  // TODO: argmin over k of the squared distance
  throw new Error("not implemented");
}

// updateCentroids: X is [N,D], labels Int32 [N], C is [K,D]; out [K,D]:
// the mean of the points labelled k, or C[k] unchanged when no point is labelled k
export function updateCentroids(X: Tensor, labels: IntTensor, C: Tensor): Tensor {
  // TODO: per-cluster sums and counts, then divide (mind count 0)
  throw new Error("not implemented");
}

// kmeans: X is [N,D], C0 is [K,D]; at most iters rounds of assign + update, stopping once the labels
// repeat; returns centroids [K,D], the labels of THOSE centroids Int32 [N], and
// inertia = sum_i |X[i] - centroids[labels[i]]|^2
export function kmeans(X: Tensor, C0: Tensor, iters: number): { centroids: Tensor; labels: IntTensor; inertia: number } {
  // TODO: loop assign/update, then label and score the final centroids
  throw new Error("not implemented");
}
