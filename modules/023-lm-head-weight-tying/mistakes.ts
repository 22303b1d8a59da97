// 023 LM head with weight tying: known mistakes, each a wrong variant of the reference that the grader can recognise.
import type { IntTensor, Mistake, Tensor } from "../../src/core/types.ts";

interface GradVariant { embedding?: boolean; head?: boolean; overwrite?: boolean }

function grad(f: GradVariant) {
  return (ids: IntTensor, dEmbOut: Tensor, h: Tensor, dLogits: Tensor, V: number): Tensor => {
    const N = ids.data.length;
    const D = dEmbOut.data.length / N;
    const emb = new Float64Array(V * D);
    const head = new Float64Array(V * D);
    if (f.embedding !== false) {
      for (let n = 0; n < N; n++) {
        const id = ids.data[n]!;
        for (let d = 0; d < D; d++) {
          if (f.overwrite) emb[id * D + d] = dEmbOut.data[n * D + d]!;
          else emb[id * D + d] += dEmbOut.data[n * D + d]!;
        }
      }
    }
    if (f.head !== false) {
      for (let n = 0; n < N; n++) for (let v = 0; v < V; v++) for (let d = 0; d < D; d++) {
        head[v * D + d] += dLogits.data[n * V + v]! * h.data[n * D + d]!;
      }
    }
    return { data: Float32Array.from(emb, (x, i) => x + head[i]!), shape: [V, D] };
  };
}

export const mistakes: Mistake[] = [
  {
    id: "head-without-transpose",
    title: "E [V,D] read as if it were [D,V] in the head",
    lesson: "E stores one row per token, [V,D]; the head needs E^T: logits[v] = sum_d h[d] * E[v*D + d]. Reading E[d*V + v] treats the buffer as [D,V] and mixes tokens (visible whenever V != D)",
    impl: {
      tiedLogits: (h: Tensor, E: Tensor): Tensor => {
        const [V, D] = E.shape as [number, number];
        const N = h.data.length / D;
        const out = new Float32Array(N * V);
        for (let n = 0; n < N; n++) for (let v = 0; v < V; v++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += h.data[n * D + d]! * E.data[d * V + v]!;
          out[n * V + v] = s;
        }
        return { data: out, shape: [...h.shape.slice(0, -1), V] };
      },
    },
  },
  {
    id: "embedding-path-only",
    title: "gradient of the embedding lookup only (head path dropped)",
    lesson: "a tied E is used twice, as the embedding table and as the output head, so its gradient is the sum of both uses: scatter-add of dEmbOut by ids PLUS dLogits^T @ h. The head path is usually the larger: it reaches every row of E, not only the tokens in the batch",
    impl: { tiedEmbeddingGrad: grad({ head: false }) },
  },
  {
    id: "head-path-only",
    title: "gradient of the output head only (embedding path dropped)",
    lesson: "a tied E is used twice; add the embedding path too: dE[ids[n], :] += dEmbOut[n, :] for every position n",
    impl: { tiedEmbeddingGrad: grad({ embedding: false }) },
  },
  {
    id: "ids-overwrite",
    title: "repeated ids overwrite instead of accumulate in the embedding path",
    lesson: "a token that appears k times receives k gradients: use dE[id] += dEmbOut[n], never =. With token 2 at three positions its row must hold the sum of the three",
    impl: { tiedEmbeddingGrad: grad({ overwrite: true }) },
  },
  {
    id: "tied-counted-twice",
    title: "tied weights counted twice",
    lesson: "with tying the head IS the embedding matrix: V·D parameters in total (GPT-2 small: 50257·768 = 38,597,376), not 2·V·D",
    impl: { parameterCount: (V: number, D: number) => 2 * V * D },
  },
  {
    id: "head-bias-counted",
    title: "a bias of size V counted in the LM head",
    lesson: "the LM head is bias-free (nn.Linear(D, V, bias=False) in GPT-2 and Llama): V·D tied, 2·V·D untied, with no + V",
    impl: { parameterCount: (V: number, D: number, tied: boolean) => (tied ? V * D : 2 * V * D) + V },
  },
];
