// 003 linear-regression: closed-form fit (normal equations) and one gradient-descent step.
// N = rows (examples), D = features. Model: pred = X @ w + b; loss = mean over rows of (pred - y)^2.
// The bias is the weight of an extra column of ones: A = [X, 1] is [N, D+1], theta = [w; b].
// Solve in float64 (plain JS numbers or Float64Array scratch): the fit cases include near-collinear
// columns, where a float32 solve is far off. Write your own elimination (partial pivoting); no libraries.
// Return new tensors; never modify inputs.
// Tolerance: fitNormalEquations w and b: atol 1e-5, rtol 1e-5, and the residual y - (X w + b) must be
//   orthogonal to every column of [X, 1] (to 1e-6, relative); gradientStep w, b, loss: atol 1e-6, rtol 1e-5
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit linear-regression

// fitNormalEquations: X is [N,D], y is [N]; returns w [D] and b (a number). N >= D + 1.
export function fitNormalEquations(X: Tensor, y: Tensor): { w: Tensor; b: number } {
  // TODO: build A^T A and A^T y for A = [X, 1], solve by Gaussian elimination with partial pivoting
  throw new Error("not implemented");
}

// gradientStep: X is [N,D], y is [N], w is [D]; returns the new w [D], the new b, and the loss
// of the parameters passed in (before the step).
export function gradientStep(X: Tensor, y: Tensor, w: Tensor, b: number, lr: number): { w: Tensor; b: number; loss: number } {
  // TODO: residuals r = X w + b - y, loss = mean(r^2), gradients of the mean, one step of size lr
  throw new Error("not implemented");
}
