// 035 gradient-accumulation: reference solution.
// N = rows, D = features, M = microBatch, A = accumSteps. Model yhat = X w (no bias), loss = mean((X w - y)^2).
// One optimizer step sees an effective batch of M*A rows, processed as A micro-batches of M rows.

// microGradient: the mean-squared-error gradient (2/M) * Xb^T (Xb w - yb) over rows [r0, r0 + M), added
// into acc with weight `scale`
function addMicroGradient(X: Tensor, y: Tensor, w: Float64Array, r0: number, M: number, scale: number, acc: Float64Array): void {
  const D = w.length;
  for (let r = r0; r < r0 + M; r++) {
    let pred = 0;
    for (let j = 0; j < D; j++) pred += X.data[r * D + j] * w[j];
    const err = pred - y.data[r];
    for (let j = 0; j < D; j++) acc[j] += scale * (2 / M) * err * X.data[r * D + j];
  }
}

// accumulatedGradient: X is [N,D], y is [N], w is [D], N = microBatch * accumSteps; grad is [D]
// the sum over the A micro-batches of (their mean gradient) / A, which equals the full-batch gradient
export function accumulatedGradient(X: Tensor, y: Tensor, w: Tensor, microBatch: number, accumSteps: number): Tensor {
  const [N, D] = X.shape;
  if (N !== microBatch * accumSteps) throw new Error(`X has ${N} rows, expected microBatch * accumSteps = ${microBatch * accumSteps}`);
  const w64 = Float64Array.from(w.data);
  const acc = new Float64Array(D);
  for (let k = 0; k < accumSteps; k++) addMicroGradient(X, y, w64, k * microBatch, microBatch, 1 / accumSteps, acc);
  return { data: Float32Array.from(acc), shape: [D] };
}

// trainWithAccumulation: X is [N,D], y is [N], w is [D]; returns the weights [D] after `steps` SGD steps.
// Step s uses effective batch b = s mod (N / (M*A)), rows [b*M*A, (b+1)*M*A): accumulate A micro-batch
// gradients (each divided by A), then w -= lr * grad, then reset the accumulator.
export function trainWithAccumulation(X: Tensor, y: Tensor, w: Tensor, microBatch: number, accumSteps: number, lr: number, steps: number): Tensor {
  const [N, D] = X.shape;
  const batch = microBatch * accumSteps;
  if (N % batch !== 0) throw new Error(`X has ${N} rows, not a multiple of microBatch * accumSteps = ${batch}`);
  const batches = N / batch;
  const cur = Float64Array.from(w.data);
  for (let s = 0; s < steps; s++) {
    const start = (s % batches) * batch;
    const acc = new Float64Array(D); // zero_grad
    for (let k = 0; k < accumSteps; k++) addMicroGradient(X, y, cur, start + k * microBatch, microBatch, 1 / accumSteps, acc);
    for (let j = 0; j < D; j++) cur[j] -= lr * acc[j];
  }
  return { data: Float32Array.from(cur), shape: [D] };
}
