// 013 dropout: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { Mistake, Tensor } from "../../src/core/types.ts";

const t = (data: Float32Array, shape: number[]): Tensor => ({ data, shape: [...shape] });

/** Dropout with a chosen keep rule and scale, for the wrong variants. */
function variant(keep: (u: number, p: number) => boolean, scale: (p: number) => number, evalToo = false) {
  return (x: Tensor, p: number, u: Tensor, training: boolean) => {
    const n = x.data.length;
    const y = new Float32Array(n), mask = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (!training && !evalToo) {
        y[i] = x.data[i]!;
        mask[i] = 1;
        continue;
      }
      mask[i] = keep(u.data[i]!, p) ? 1 : 0;
      y[i] = x.data[i]! * mask[i]! * scale(p);
    }
    return { y: t(y, x.shape), mask: t(mask, x.shape) };
  };
}

const keepRight = (u: number, p: number) => u >= p;

export const mistakes: Mistake[] = [
  {
    id: "no-inverse-scale",
    title: "kept activations not scaled by 1/(1-p)",
    lesson: "with p = 0.5 the expected output is then half the input (E[y] = (1-p) x); inverted dropout divides the kept values by 1 - p during training so that eval mode can be the identity",
    impl: { dropout: variant(keepRight, () => 1) },
  },
  {
    id: "scale-by-keep-prob",
    title: "kept activations multiplied by (1-p) instead of divided",
    lesson: "multiplying by 1 - p shrinks the output twice (E[y] = (1-p)^2 x); that factor belongs to the old non-inverted dropout at test time. Divide the kept values by 1 - p",
    impl: { dropout: variant(keepRight, (p) => 1 - p) },
  },
  {
    id: "keep-below-p",
    title: "kept where u < p (the drop rule inverted)",
    lesson: "u < p happens with probability p, so this keeps a fraction p instead of 1 - p (at p = 0 it drops everything). Keep where u >= p",
    impl: { dropout: variant((u, p) => u < p, (p) => 1 / (1 - p)) },
  },
  {
    id: "keep-below-one-minus-p",
    title: "kept where u < 1 - p",
    lesson: "u < 1 - p keeps the right fraction (1 - p) but a different set of elements than the contract, which keeps element i where u_i >= p; with the draws given as an argument the mask is part of the answer, so use the contract's rule: keep where u >= p",
    impl: { dropout: variant((u, p) => u < 1 - p, (p) => 1 / (1 - p)) },
  },
  {
    id: "dropout-in-eval",
    title: "dropout applied in eval mode",
    lesson: "at inference (training = false) dropout is the identity: y = x and the mask is all ones; the 1/(1-p) scaling during training is what makes this correct",
    impl: { dropout: variant(keepRight, (p) => 1 / (1 - p), true) },
  },
  {
    id: "backward-no-scale",
    title: "backward multiplies by the mask but not by 1/(1-p)",
    lesson: "y = x * mask / (1 - p), so dy/dx = mask / (1 - p): the backward pass needs the same scale as the forward (with p = 0.5 the gradient is otherwise half)",
    impl: {
      dropoutBackward: (dy: Tensor, mask: Tensor) => t(dy.data.map((v, i) => v * mask.data[i]!), dy.shape),
    },
  },
  {
    id: "backward-ignores-mask",
    title: "backward scales every gradient, dropped or not",
    lesson: "a dropped element did not reach the output, so its gradient is exactly 0: multiply dy by the mask as well as by 1/(1-p)",
    impl: {
      dropoutBackward: (dy: Tensor, _mask: Tensor, p: number) => t(dy.data.map((v) => v / (1 - p)), dy.shape),
    },
  },
];
