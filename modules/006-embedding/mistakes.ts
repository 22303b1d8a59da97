// 006 embedding: known mistakes, each a wrong variant of the reference.
import type { IntTensor, Mistake, Tensor } from "../../src/core/types.ts";

function checkIds(ids: IntTensor, V: number): void {
  for (const id of ids.data) if (id < 0 || id >= V) throw new Error(`id ${id} is outside [0, ${V})`);
}

export const mistakes: Mistake[] = [
  {
    id: "overwrite-not-accumulate",
    title: "embeddingBackward assigns dE[id] = dOut row instead of adding to it",
    lesson: "a token id used at several positions reads the same row of E several times, so its gradient is the SUM of those positions' dOut rows; `=` keeps only the last one. Start dE at zero and use += (scatter-add)",
    impl: {
      embeddingBackward: (ids: IntTensor, dOut: Tensor, V: number) => {
        checkIds(ids, V);
        const D = dOut.shape[dOut.shape.length - 1]!;
        const dE = new Float32Array(V * D);
        for (let p = 0; p < ids.data.length; p++) for (let d = 0; d < D; d++) dE[ids.data[p]! * D + d] = dOut.data[p * D + d]!;
        return { data: dE, shape: [V, D] };
      },
    },
  },
  {
    id: "table-read-transposed",
    title: "embeddingForward reads E as if it were [D,V] (E.data[d*V + id])",
    lesson: "E is [V,D] row-major: the vector of token id is the contiguous row E.data[id*D .. id*D + D - 1]. Reading E.data[d*V + id] picks a column of the memory viewed as [D,V], a mix of several tokens' vectors",
    impl: {
      embeddingForward: (ids: IntTensor, E: Tensor) => {
        const [V, D] = E.shape as [number, number];
        checkIds(ids, V);
        const out = new Float32Array(ids.data.length * D);
        for (let p = 0; p < ids.data.length; p++) for (let d = 0; d < D; d++) out[p * D + d] = E.data[d * V + ids.data[p]!]!;
        return { data: out, shape: [...ids.shape, D] };
      },
    },
  },
  {
    id: "grad-rows-from-max-id",
    title: "dE sized by the largest id seen (max(ids) + 1 rows) instead of V",
    lesson: "the gradient has the shape of the parameter, E [V,D], whatever ids this batch happens to contain; rows of tokens not in the batch get zeros. Allocate V*D, not (max id + 1)*D",
    impl: {
      embeddingBackward: (ids: IntTensor, dOut: Tensor, V: number) => {
        checkIds(ids, V);
        const D = dOut.shape[dOut.shape.length - 1]!;
        let rows = 0;
        for (const id of ids.data) rows = Math.max(rows, id + 1);
        const dE = new Float32Array(rows * D);
        for (let p = 0; p < ids.data.length; p++) for (let d = 0; d < D; d++) dE[ids.data[p]! * D + d] += dOut.data[p * D + d]!;
        return { data: dE, shape: [rows, D] };
      },
    },
  },
];
