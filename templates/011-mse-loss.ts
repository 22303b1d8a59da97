// 011 mse-loss: mean squared error and its gradient.
// pred and target are tensors of the same shape [...]; n = number of elements (data.length).
// Tensor = { data: Float32Array; shape: number[] }, row-major. Return new tensors; never modify inputs.
// Tolerance: mseLoss atol 1e-6, rtol 1e-5; mseLossBackward atol 1e-6, rtol 1e-5
//   (|got - want| <= atol + rtol * |want|).
// Submit with: llmdrill submit mse-loss

// mseLoss: pred [...], target [...] -> a number, the mean over all n elements of (pred - target)^2
export function mseLoss(pred: Tensor, target: Tensor): number {
  // TODO: sum of squared differences, then the mean
  throw new Error("not implemented");
}

// mseLossBackward: pred [...], target [...] -> dpred [...], the gradient of mseLoss with respect to pred
export function mseLossBackward(pred: Tensor, target: Tensor): Tensor {
  // TODO: differentiate the mean of squares elementwise
  throw new Error("not implemented");
}
