// 011 mse-loss: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";
import { mseLoss } from "./reference.ts";

function sumSq(pred: Tensor, target: Tensor): number {
  let s = 0;
  for (let i = 0; i < pred.data.length; i++) s += (pred.data[i]! - target.data[i]!) ** 2;
  return s;
}
const grad = (pred: Tensor, target: Tensor, f: (diff: number, n: number) => number): Tensor => ({
  data: pred.data.map((p, i) => f(p - target.data[i]!, pred.data.length)),
  shape: [...pred.shape],
});

export const mistakes: Mistake[] = [
  {
    id: "sum-not-mean",
    title: "squared errors summed instead of averaged",
    lesson: "MSE is the mean over all n elements (PyTorch's reduction='mean'); the sum is n times larger and ties the learning rate to the batch size",
    impl: { mseLoss: (pred: Tensor, target: Tensor) => sumSq(pred, target) },
  },
  {
    id: "mean-over-rows",
    title: "divided by the number of rows (shape[0]) instead of the number of elements",
    lesson: "for a [2,3] input the mean is over all 6 elements, not the 2 rows: divide by data.length",
    impl: { mseLoss: (pred: Tensor, target: Tensor) => sumSq(pred, target) / pred.shape[0]! },
  },
  {
    id: "root-mean-square",
    title: "square root taken (RMSE instead of MSE)",
    lesson: "MSE is the mean of the squared errors, with no square root: RMSE = sqrt(MSE) is a different quantity with a different gradient",
    impl: { mseLoss: (pred: Tensor, target: Tensor) => Math.sqrt(mseLoss(pred, target)) },
  },
  {
    id: "backward-missing-2",
    title: "gradient without the factor 2",
    lesson: "d/dp (p - t)^2 = 2 (p - t): the gradient is 2 (pred - target) / n, twice yours",
    impl: { mseLossBackward: (pred: Tensor, target: Tensor) => grad(pred, target, (d, n) => d / n) },
  },
  {
    id: "backward-missing-1-over-n",
    title: "gradient without the 1/n of the mean",
    lesson: "the loss is a mean over n elements, so each element's gradient 2 (pred - target) is divided by n",
    impl: { mseLossBackward: (pred: Tensor, target: Tensor) => grad(pred, target, (d) => 2 * d) },
  },
  {
    id: "backward-sign-flipped",
    title: "gradient written as 2 (target - pred) / n",
    lesson: "the gradient with respect to pred is 2 (pred - target) / n: positive when the prediction is too high, so a descent step lowers it",
    impl: { mseLossBackward: (pred: Tensor, target: Tensor) => grad(pred, target, (d, n) => (-2 * d) / n) },
  },
  {
    id: "backward-over-rows",
    title: "gradient divided by the number of rows (shape[0]) instead of the number of elements",
    lesson: "the mean runs over all elements: for a [2,3] input divide by 6, not 2",
    impl: { mseLossBackward: (pred: Tensor, target: Tensor) => grad(pred, target, (d) => (2 * d) / pred.shape[0]!) },
  },
];
