// 004 k-means: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { IntTensor, Mistake, Tensor } from "../../src/core/types.ts";
import { assign, pairwiseSqDist, updateCentroids } from "./reference.ts";

const f = Math.fround;

/** |x|^2 - 2 x.c + |c|^2 with every operation rounded to float32. */
function expansionF32(X: Tensor, C: Tensor): Tensor {
  const [N, D] = X.shape as [number, number];
  const K = C.shape[0]!;
  const sq = (t: Tensor, r: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) s = f(s + f(t.data[r * D + d]! * t.data[r * D + d]!));
    return s;
  };
  const out = new Float32Array(N * K);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < K; k++) {
      let dot = 0;
      for (let d = 0; d < D; d++) dot = f(dot + f(X.data[i * D + d]! * C.data[k * D + d]!));
      out[i * K + k] = f(f(sq(X, i) - f(2 * dot)) + sq(C, k));
    }
  }
  return { data: out, shape: [N, K] };
}

function updateWithEmpty(empty: (prev: number) => number) {
  return (X: Tensor, labels: IntTensor, C: Tensor): Tensor => {
    const out = updateCentroids(X, labels, C);
    const [K, D] = C.shape as [number, number];
    for (let k = 0; k < K; k++) {
      if (!labels.data.includes(k)) for (let d = 0; d < D; d++) out.data[k * D + d] = empty(C.data[k * D + d]!);
    }
    return out;
  };
}

function inertiaOf(X: Tensor, C: Tensor, labels: IntTensor): number {
  const D = X.shape[1]!;
  let s = 0;
  for (let i = 0; i < labels.data.length; i++) {
    for (let d = 0; d < D; d++) s += (X.data[i * D + d]! - C.data[labels.data[i]! * D + d]!) ** 2;
  }
  return s;
}

/**
 * Lloyd's loop returning what was current before the last update, in one of two ways. It stops once the
 * labels repeat, like the reference: the grader runs mistakes in its own process (iters can be 1e9).
 */
function staleKmeans(stale: "labels" | "inertia") {
  return (X: Tensor, C0: Tensor, iters: number) => {
    let C: Tensor = { data: new Float32Array(C0.data), shape: [...C0.shape] };
    let labels = assign(X, C);
    let before = C;
    let prev: Int32Array | null = null;
    for (let t = 0; t < iters; t++) {
      labels = assign(X, C);
      if (prev !== null && labels.data.every((v, i) => v === prev![i])) break;
      before = C;
      C = updateCentroids(X, labels, C);
      prev = labels.data;
    }
    if (stale === "labels") return { centroids: C, labels, inertia: inertiaOf(X, C, labels) };
    const fresh = assign(X, C);
    return { centroids: C, labels: fresh, inertia: inertiaOf(X, before, assign(X, before)) };
  };
}

export const mistakes: Mistake[] = [
  {
    id: "expansion-float32",
    title: "distances by the expansion |x|^2 - 2 x.c + |c|^2 in float32",
    lesson: "on data offset by 1000, |x|^2 is about 2e6 and float32 keeps it to about 0.1, so distances of order 1 come out up to 0.2 (13%) off in the offset fixture (and can even turn negative); sum the squared differences (x_d - c_d)^2 directly, in float64",
    impl: { pairwiseSqDist: expansionF32 },
  },
  {
    id: "euclidean-not-squared",
    title: "Euclidean distance instead of the squared distance",
    lesson: "k-means minimises the sum of squared distances (the mean is the minimiser of squared error); return sum_d (x_d - c_d)^2 without the square root",
    impl: {
      pairwiseSqDist: (X: Tensor, C: Tensor) => {
        const d = pairwiseSqDist(X, C);
        return { data: d.data.map(Math.sqrt), shape: d.shape };
      },
    },
  },
  {
    id: "ties-to-higher-index",
    title: "a tie goes to the higher centroid index (<= instead of <)",
    lesson: "a point equidistant from centroids 0 and 1 belongs to 0 (argmin returns the first minimum, as numpy and ONNX ArgMin do): replace the best only on a strictly smaller distance",
    impl: {
      assign: (X: Tensor, C: Tensor): IntTensor => {
        const d = pairwiseSqDist(X, C);
        const [N, K] = d.shape as [number, number];
        const out = new Int32Array(N);
        for (let i = 0; i < N; i++) {
          let best = Infinity;
          for (let k = 0; k < K; k++) if (d.data[i * K + k]! <= best) { best = d.data[i * K + k]!; out[i] = k; }
        }
        return { data: out, shape: [N] };
      },
    },
  },
  {
    id: "empty-cluster-nan",
    title: "an empty cluster's centroid computed as 0/0",
    lesson: "a cluster with no points has count 0 and its mean is 0/0 = NaN, which then poisons every distance to it; keep the previous centroid when the count is 0",
    impl: { updateCentroids: updateWithEmpty(() => NaN) },
  },
  {
    id: "empty-cluster-zero",
    title: "an empty cluster's centroid reset to the origin",
    lesson: "zeros are an arbitrary point that may sit far from (or in the middle of) the data; the convention here (as in many implementations) is that an empty cluster keeps its previous centroid",
    impl: { updateCentroids: updateWithEmpty(() => 0) },
  },
  {
    id: "stale-labels",
    title: "kmeans returns the labels used for the last update, not the labels of the final centroids",
    lesson: "after the last update the centroids moved, and some points may now be nearer another centroid: assign once more with the final centroids and compute the inertia from those labels",
    impl: { kmeans: staleKmeans("labels") },
  },
  {
    id: "stale-inertia",
    title: "kmeans returns the inertia of the centroids before the last update",
    lesson: "the inertia must describe the returned centroids and labels: sum_i |x_i - c_{label_i}|^2 with the final centroids (it can only be lower than before the update)",
    impl: { kmeans: staleKmeans("inertia") },
  },
];
