// 002 matrix-multiplication: cases, oracle, hints and known mistakes.
import { arg, f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import { Rng } from "../../src/core/rng.ts";
import type { Case, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

/** A float32 dot product of length K drifts with K: atol = 1e-6 + 2.5e-7 * K (curriculum "Tolerances that matter"). */
const tolK = (K: number): TolMap => ({ "*": { atol: Number((1e-6 + 2.5e-7 * K).toPrecision(6)), rtol: 1e-5 } });

// oracle: ONNX MatMul in float64 (handles both [M,K]@[K,N] and the batched [B,M,K]@[B,K,N])
const matmulModel = model("002/matmul", (g) => g.output(f32(g, g.op1("MatMul", [f64(g, g.input("a")), f64(g, g.input("b"))])), "y"));

const X = (data: number[], shape: number[]) => tensor(data, shape);

function mm(name: string, a: Tensor, b: Tensor): Case {
  return mkCase(name, "matmul", { a, b }, tolK(a.shape[1]!));
}
function bmm(name: string, a: Tensor, b: Tensor): Case {
  return mkCase(name, "batchedMatmul", { a, b }, tolK(a.shape[2]!));
}

function fixtureCases(): Case[] {
  const long = new Rng(2002);
  return [
    mm("worked example: [2,3] @ [3,2]", X([1, 2, 3, 4, 5, 6], [2, 3]), X([0.5, -1, 2, 0, 1, 1], [3, 2])),
    mm("K = 1: an outer product [3,1] @ [1,4]", X([1, -2, 0.5], [3, 1]), X([2, 0, -1, 3], [1, 4])),
    mm("M = 1: a row vector times a matrix [1,4] @ [4,3]", X([1, 0.5, -1, 2], [1, 4]), X([1, 2, 3, 0, -1, 4, 2, 2, 2, -3, 0, 1], [4, 3])),
    mm("N = 1: a matrix times a column vector [3,2] @ [2,1]", X([1, 2, 3, 4, 5, 6], [3, 2]), X([10, -1], [2, 1])),
    mm("square [3,3] @ [3,3]: b[k,j] is not b[j,k]", X([1, 2, 0, 0, 1, 3, 2, 0, 1], [3, 3]), X([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])),
    mm("identity: a @ I = a", X([0.25, -1.5, 3, 7, 0, -2], [2, 3]), X([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3])),
    mm("long K = 4096: float32 sums drift with K, so atol = 1e-6 + 2.5e-7*K", long.tensor([1, 4096]), long.tensor([4096, 2])),
    bmm("batched worked example: B = 2, each a[z] @ b[z]", X([1, 2, 3, 4, 1, 0, 0, 1], [2, 2, 2]), X([1, 0, 0, 1, 2, 3, 4, 5], [2, 2, 2])),
    bmm("batched with B = 1 and M = 1: [1,1,3] @ [1,3,2]", X([1, -1, 2], [1, 1, 3]), X([1, 2, 3, 4, 5, 6], [1, 3, 2])),
    bmm("batched [3,2,3] @ [3,3,2]: every batch has its own b", new Rng(2003).tensor([3, 2, 3]), new Rng(2004).tensor([3, 3, 2])),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let n = 0; n < 3; n++) {
    const M = rng.int(1, 8), K = rng.pick([1, 2, 5, 16, 33, 64]), N = rng.int(1, 8);
    cases.push(mm(`matmul [${M},${K}] @ [${K},${N}]`, rng.tensor([M, K]), rng.tensor([K, N])));
  }
  {
    const M = rng.int(1, 3), K = rng.pick([512, 1024, 2048]), N = rng.int(1, 3);
    cases.push(mm(`matmul long K [${M},${K}] @ [${K},${N}]`, rng.tensor([M, K]), rng.tensor([K, N])));
  }
  for (let n = 0; n < 2; n++) {
    const B = rng.int(1, 4), M = rng.int(1, 6), K = rng.pick([1, 3, 8, 17, 32]), N = rng.int(1, 6);
    cases.push(bmm(`batchedMatmul [${B},${M},${K}] @ [${B},${K},${N}]`, rng.tensor([B, M, K]), rng.tensor([B, K, N])));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Write the matrix product of a [M,K] and a [K,N] matrix with plain loops over row-major Float32Arrays, and its batched form over a leading batch axis. Every layer of an LLM is built on it.",
  functions: [
    { name: "matmul", signature: "matmul(a: Tensor, b: Tensor): Tensor", doc: "a is [M,K], b is [K,N]; out is [M,N], out[i,j] = sum_k a[i,k] * b[k,j]" },
    { name: "batchedMatmul", signature: "batchedMatmul(a: Tensor, b: Tensor): Tensor", doc: "a is [B,M,K], b is [B,K,N]; out is [B,M,N], out[z] = a[z] @ b[z]" },
  ],
  toleranceText: "atol 1e-6 + 2.5e-7*K (K = the reduction length), rtol 1e-5",
  oracleText: "ONNX MatMul (float64)",
  hints: {
    nudge: "Element [i,k] of a row-major [M,K] matrix is data[i*K + k]. Each output element is one dot product: which row of a, which column of b?",
    formula: "out[i,j] = sum_{k=0}^{K-1} a[i,k] * b[k,j], with a[i,k] = a.data[i*K + k], b[k,j] = b.data[k*N + j], out[i,j] = out.data[i*N + j]. Batched: the same per z, with offsets z*M*K, z*K*N and z*M*N.",
    pseudocode: [
      "[M, K] = a.shape; N = b.shape[1]; out = new Float32Array(M*N)",
      "for i in 0..M-1: for j in 0..N-1:",
      "  s = 0                                   // a JS number: float64",
      "  for k in 0..K-1: s += a.data[i*K + k] * b.data[k*N + j]",
      "  out[i*N + j] = s",
      "batched: loop z outside, add z*M*K to a's index, z*K*N to b's, z*M*N to out's",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    return (await ort.run(matmulModel, { a: arg<Tensor>(c, "a"), b: arg<Tensor>(c, "b") })).y!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
