// 012 batchnorm: reference solution (BatchNorm1d on [N, D], as torch.nn.BatchNorm1d).
// N = batch rows, D = features. Statistics are per feature (column), over the N rows.
// Defaults as PyTorch: eps 1e-5, momentum 0.1; the running variance is updated with the
// unbiased batch variance (divide by N - 1), while y is normalised with the biased one (divide by N).
//
// cache (what batchNormBackward needs; batchNormTrain returns it and the grader passes one in):
//   xhat   [N,D]  the normalised input (x - mean) * invStd
//   invStd [D]    1 / sqrt(var + eps), var the biased batch variance
//   gamma  [D]    the scale used in the forward pass

type BatchNormCache = { xhat: Tensor; invStd: Tensor; gamma: Tensor };

// batchNormTrain: x is [N,D], gamma, beta, runningMean, runningVar are [D]; y is [N,D],
// the new runningMean and runningVar are [D] (the inputs are left unchanged)
export function batchNormTrain(
  x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor, momentum = 0.1, eps = 1e-5,
): { y: Tensor; runningMean: Tensor; runningVar: Tensor; cache: BatchNormCache } {
  const [N, D] = x.shape;
  if (N < 2) throw new Error(`batchNormTrain: need more than 1 value per feature in training (got N = ${N}): the batch variance of one row is 0 and its unbiased variance divides by N - 1 = 0`);
  const y = new Float32Array(N * D);
  const xhat = new Float32Array(N * D);
  const invStd = new Float32Array(D);
  const newMean = new Float32Array(D);
  const newVar = new Float32Array(D);
  for (let j = 0; j < D; j++) {
    let mean = 0;
    for (let i = 0; i < N; i++) mean += x.data[i * D + j];
    mean /= N;
    let ss = 0;
    for (let i = 0; i < N; i++) {
      const d = x.data[i * D + j] - mean;
      ss += d * d;
    }
    const variance = ss / N; // biased: used to normalise
    const inv = 1 / Math.sqrt(variance + eps);
    invStd[j] = inv;
    for (let i = 0; i < N; i++) {
      const h = (x.data[i * D + j] - mean) * inv;
      xhat[i * D + j] = h;
      y[i * D + j] = gamma.data[j] * h + beta.data[j];
    }
    newMean[j] = (1 - momentum) * runningMean.data[j] + momentum * mean;
    newVar[j] = (1 - momentum) * runningVar.data[j] + momentum * (ss / (N - 1)); // unbiased
  }
  return {
    y: { data: y, shape: [N, D] },
    runningMean: { data: newMean, shape: [D] },
    runningVar: { data: newVar, shape: [D] },
    cache: { xhat: { data: xhat, shape: [N, D] }, invStd: { data: invStd, shape: [D] }, gamma: { data: new Float32Array(gamma.data), shape: [D] } },
  };
}

// batchNormEval: x is [N,D], gamma, beta, runningMean, runningVar are [D]; y is [N,D]
// y = gamma * (x - runningMean) / sqrt(runningVar + eps) + beta, eps = 1e-5; any N (even 1)
export function batchNormEval(x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor): Tensor {
  const [N, D] = x.shape;
  const eps = 1e-5;
  const y = new Float32Array(N * D);
  for (let j = 0; j < D; j++) {
    const inv = 1 / Math.sqrt(runningVar.data[j] + eps);
    for (let i = 0; i < N; i++) y[i * D + j] = gamma.data[j] * (x.data[i * D + j] - runningMean.data[j]) * inv + beta.data[j];
  }
  return { data: y, shape: [N, D] };
}

// batchNormBackward: dy is [N,D], cache as above; dx is [N,D], dgamma and dbeta are [D]
// dxhat = dy * gamma; dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), means over N
export function batchNormBackward(dy: Tensor, cache: BatchNormCache): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const [N, D] = dy.shape;
  const { xhat, invStd, gamma } = cache;
  const dx = new Float32Array(N * D);
  const dgamma = new Float32Array(D);
  const dbeta = new Float32Array(D);
  for (let j = 0; j < D; j++) {
    let sumDy = 0, sumDyXhat = 0;
    for (let i = 0; i < N; i++) {
      sumDy += dy.data[i * D + j];
      sumDyXhat += dy.data[i * D + j] * xhat.data[i * D + j];
    }
    dbeta[j] = sumDy;
    dgamma[j] = sumDyXhat;
    const g = gamma.data[j];
    const meanDxhat = (g * sumDy) / N;
    const meanDxhatXhat = (g * sumDyXhat) / N;
    for (let i = 0; i < N; i++) {
      const dxhat = dy.data[i * D + j] * g;
      dx[i * D + j] = invStd.data[j] * (dxhat - meanDxhat - xhat.data[i * D + j] * meanDxhatXhat);
    }
  }
  return { dx: { data: dx, shape: [N, D] }, dgamma: { data: dgamma, shape: [D] }, dbeta: { data: dbeta, shape: [D] } };
}
