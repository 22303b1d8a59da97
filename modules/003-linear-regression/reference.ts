// 003 linear-regression: reference solution. Model: pred = X @ w + b, loss = mean((pred - y)^2).
// N = rows (examples), D = features. The bias is fitted as the weight of an extra column of ones:
// A = [X, 1] is [N, D+1] and theta = [w; b] solves the normal equations A^T A theta = A^T y.

// fitNormalEquations: X is [N,D], y is [N]; w is [D], b a number. Needs N >= D + 1 and the
// columns of [X, 1] linearly independent; the solve runs in float64 (plain numbers).
export function fitNormalEquations(X: Tensor, y: Tensor): { w: Tensor; b: number } {
  const [N, D] = X.shape;
  const P = D + 1;
  // M = A^T A [P,P] and v = A^T y [P], with A's last column all ones
  const M: number[][] = Array.from({ length: P }, () => new Array(P).fill(0));
  const v: number[] = new Array(P).fill(0);
  const a: number[] = new Array(P);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) a[j] = X.data[i * D + j];
    a[D] = 1;
    for (let p = 0; p < P; p++) {
      for (let q = 0; q < P; q++) M[p][q] += a[p] * a[q];
      v[p] += a[p] * y.data[i];
    }
  }
  // Gaussian elimination with partial pivoting
  for (let col = 0; col < P; col++) {
    let piv = col;
    for (let r = col + 1; r < P; r++) if (Math.abs(M[r][col]) > Math.abs(M[piv][col])) piv = r;
    if (M[piv][col] === 0) throw new Error("fitNormalEquations: X^T X is singular (a column of [X, 1] is a combination of the others)");
    if (piv !== col) {
      [M[piv], M[col]] = [M[col], M[piv]];
      [v[piv], v[col]] = [v[col], v[piv]];
    }
    for (let r = col + 1; r < P; r++) {
      const f = M[r][col] / M[col][col];
      for (let c = col; c < P; c++) M[r][c] -= f * M[col][c];
      v[r] -= f * v[col];
    }
  }
  // back substitution
  const theta: number[] = new Array(P).fill(0);
  for (let r = P - 1; r >= 0; r--) {
    let s = v[r];
    for (let c = r + 1; c < P; c++) s -= M[r][c] * theta[c];
    theta[r] = s / M[r][r];
  }
  const w = new Float32Array(D);
  for (let j = 0; j < D; j++) w[j] = theta[j];
  return { w: { data: w, shape: [D] }, b: theta[D] };
}

// gradientStep: X is [N,D], y is [N], w is [D], b and lr numbers; returns the new w [D] and b,
// and the loss of the parameters passed in (measured before the step).
// dL/dw = (2/N) X^T r, dL/db = (2/N) sum(r), with r = X @ w + b - y
export function gradientStep(X: Tensor, y: Tensor, w: Tensor, b: number, lr: number): { w: Tensor; b: number; loss: number } {
  const [N, D] = X.shape;
  const gw: number[] = new Array(D).fill(0);
  let gb = 0;
  let loss = 0;
  for (let i = 0; i < N; i++) {
    let pred = b;
    for (let j = 0; j < D; j++) pred += X.data[i * D + j] * w.data[j];
    const r = pred - y.data[i];
    loss += r * r;
    for (let j = 0; j < D; j++) gw[j] += r * X.data[i * D + j];
    gb += r;
  }
  const newW = new Float32Array(D);
  for (let j = 0; j < D; j++) newW[j] = w.data[j] - lr * (2 / N) * gw[j];
  return { w: { data: newW, shape: [D] }, b: b - lr * (2 / N) * gb, loss: loss / N };
}
