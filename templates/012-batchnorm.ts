// 012 batchnorm: BatchNorm over [N, D] (torch.nn.BatchNorm1d): training forward, eval forward, backward.
// N = batch rows, D = features; statistics are per feature (column j), over the N rows.
// Defaults as PyTorch: momentum 0.1, eps 1e-5. Normalise with the biased variance (divide by N);
// update runningVar with the unbiased variance (divide by N - 1). N = 1 in training: throw an Error.
// Return new tensors (also new running statistics); never modify inputs.
// The cache is the reference's design and is what batchNormBackward receives in every graded case:
//   cache = { xhat: [N,D] = (x - mean) * invStd, invStd: [D] = 1 / sqrt(var + eps), gamma: [D] }
// The grader compares y, runningMean and runningVar only, but return this cache so that your own
// batchNormTrain feeds your own batchNormBackward.
// Tolerance: train and eval atol 1e-5, rtol 1e-5; backward atol 1e-5, rtol 1e-4
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit batchnorm

type BatchNormCache = { xhat: Tensor; invStd: Tensor; gamma: Tensor };

// batchNormTrain: x is [N,D]; gamma, beta, runningMean, runningVar are [D]
// returns y [N,D], the updated runningMean [D] and runningVar [D], and the cache
export function batchNormTrain(
  x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor, momentum = 0.1, eps = 1e-5,
): { y: Tensor; runningMean: Tensor; runningVar: Tensor; cache: BatchNormCache } {
  // TODO: per column: mean, biased variance, xhat, y; running = (1 - momentum) * running + momentum * batch
  throw new Error("not implemented");
}

// batchNormEval: x is [N,D]; gamma, beta, runningMean, runningVar are [D]; y is [N,D] (eps = 1e-5)
export function batchNormEval(x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor): Tensor {
  // TODO: normalise with the running statistics
  throw new Error("not implemented");
}

// batchNormBackward: dy is [N,D]; cache as above; dx is [N,D], dgamma and dbeta are [D]
export function batchNormBackward(dy: Tensor, cache: BatchNormCache): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  // TODO: dbeta, dgamma, then dx through xhat, the batch mean and the batch variance
  throw new Error("not implemented");
}
