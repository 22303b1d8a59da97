// 025 kv-cache: the grader drives the learner's class through a prefill and token-by-token decoding
// and compares every attend with full causal attention over the whole sequence (ONNX Attention).
import { f32, f64, mkCase, model } from "../../src/core/spec-kit.ts";
import { tensor } from "../../src/core/tensor.ts";
import type { Step } from "../../src/core/invoke.ts";
import type { Rng } from "../../src/core/rng.ts";
import type { Case, ModuleBody, Tensor, TolMap, Value } from "../../src/core/types.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

const tolFor = (t: number, dh: number): TolMap => ({ "*": { atol: 1e-5 + 2.5e-7 * (t + dh), rtol: 1e-4 } });

// full causal attention over the whole sequence, [1, H, T, Dh], float64; Tq = Tk so is_causal is exact
const fullAttention = model("025/full-causal-attention", (g) => {
  const [q, k, v] = ["q", "k", "v"].map((n) => f64(g, g.input(n)));
  g.output(f32(g, g.op1("Attention", [q!, k!, v!], { is_causal: 1 })), "y");
});

/** A chunk of Tn positions: k, v and q, each [H, Tn, Dh]. */
interface Chunk { k: Tensor; v: Tensor; q: Tensor }

/**
 * new, then for each chunk: append(k, v), length, attend(q); optionally a final overflowing append.
 * q may hold fewer positions than k (the last ones). With reuse, every append passes the caller's
 * same k and v arrays, refilled (src/core/invoke.ts).
 */
function script(maxT: number, H: number, Dh: number, chunks: Chunk[], overflow?: Chunk, reuse = false): Step[] {
  const steps: Step[] = [{ op: "new", args: [maxT, H, Dh] }];
  for (const c of chunks) {
    steps.push({ op: "call", name: "append", args: [c.k, c.v], ...(reuse ? { reuse } : {}) }, { op: "get", name: "length" }, { op: "call", name: "attend", args: [c.q] });
  }
  if (overflow) steps.push({ op: "call", name: "append", args: [overflow.k, overflow.v] });
  return steps;
}

function kvCase(name: string, maxT: number, H: number, Dh: number, chunks: Chunk[], overflow?: Chunk, reuse = false): Case {
  const T = chunks.reduce((a, c) => a + c.k.shape[1]!, 0);
  return { ...mkCase(name, "KVCache", { steps: script(maxT, H, Dh, chunks, overflow, reuse) as unknown as Value }, tolFor(T, Dh), Boolean(overflow)), drive: "class" };
}

/** The chunk with only its last `tn` queries. */
function lastQueries(c: Chunk, tn: number): Chunk {
  const [H, T, Dh] = c.q.shape as [number, number, number];
  const q = new Float32Array(H * tn * Dh);
  for (let h = 0; h < H; h++) q.set(c.q.data.subarray((h * T + T - tn) * Dh, (h * T + T) * Dh), h * tn * Dh);
  return { ...c, q: { data: q, shape: [H, tn, Dh] } };
}

const seqVals = (n: number, a: number, b: number) => Array.from({ length: n }, (_, i) => Math.round(10 * Math.sin(a * i + b)) / 10);
/** A deterministic chunk of tn positions. */
function chunk(H: number, tn: number, Dh: number, seed: number): Chunk {
  const n = H * tn * Dh;
  return { k: tensor(seqVals(n, 0.9, seed), [H, tn, Dh]), v: tensor(seqVals(n, 1.3, seed + 1), [H, tn, Dh]), q: tensor(seqVals(n, 0.7, seed + 2), [H, tn, Dh]) };
}

function fixtureCases(): Case[] {
  const worked: Chunk[] = [
    { k: tensor([1, 0, 0, 1], [1, 2, 2]), v: tensor([1, 2, 3, 4], [1, 2, 2]), q: tensor([1, 1, 0, 2], [1, 2, 2]) },
    { k: tensor([1, 1], [1, 1, 2]), v: tensor([5, 6], [1, 1, 2]), q: tensor([2, 0], [1, 1, 2]) },
  ];
  return [
    kvCase("worked example: prefill 2 positions, then decode 1 (H = 1, Dh = 2)", 4, 1, 2, worked),
    kvCase("prefill 4 then decode 3 tokens one by one: every step equals full causal attention", 8, 2, 4, [chunk(2, 4, 4, 1), chunk(2, 1, 4, 2), chunk(2, 1, 4, 3), chunk(2, 1, 4, 4)]),
    kvCase("a chunk of 3 after a prefix of 2: bottom-right mask, query i sees keys j <= length - 3 + i", 6, 1, 4, [chunk(1, 2, 4, 5), chunk(1, 3, 4, 6)]),
    kvCase("prefill of 1 and decode of 1 (T = 1 steps)", 2, 3, 2, [chunk(3, 1, 2, 7), chunk(3, 1, 2, 8)]),
    kvCase("filling the cache exactly to maxT is allowed", 3, 1, 2, [chunk(1, 2, 2, 9), chunk(1, 1, 2, 10)]),
    kvCase("appending past maxT must throw a clear Error", 3, 1, 2, [chunk(1, 2, 2, 11)], chunk(1, 2, 2, 12)),
    kvCase("a prefill of 4 attended by its last query only (q has Tnew = 1, as for the next-token logits): it sits at position length - 1", 6, 2, 4, [lastQueries(chunk(2, 4, 4, 13), 1), chunk(2, 1, 4, 14)]),
    kvCase("a caller that reuses its k and v arrays for every append: the cache must copy them, not keep references", 5, 2, 2, [chunk(2, 1, 2, 15), chunk(2, 1, 2, 16), chunk(2, 1, 2, 17), chunk(2, 1, 2, 18)], undefined, true),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let n = 0; n < 4; n++) {
    const H = rng.int(1, 3), Dh = rng.pick([2, 4, 8, 16]);
    const sizes = [rng.int(1, 6)];
    const decode = rng.int(1, 5);
    for (let s = 0; s < decode; s++) sizes.push(rng.next() < 0.25 ? rng.int(2, 3) : 1);
    const T = sizes.reduce((a, b) => a + b, 0);
    const chunks = sizes.map((tn) => ({ k: rng.tensor([H, tn, Dh]), v: rng.tensor([H, tn, Dh]), q: rng.tensor([H, tn, Dh]) }));
    cases.push(kvCase(`H=${H} Dh=${Dh} chunks ${sizes.join("+")}`, T + rng.int(0, 3), H, Dh, chunks));
  }
  return cases;
}

/** Concatenates [H, Tn, Dh] chunks along T into [1, H, T, Dh]. */
function concat(parts: Tensor[], H: number, Dh: number): Tensor {
  const T = parts.reduce((a, p) => a + p.shape[1]!, 0);
  const out = new Float32Array(H * T * Dh);
  let t0 = 0;
  for (const p of parts) {
    const tn = p.shape[1]!;
    for (let h = 0; h < H; h++) out.set(p.data.subarray(h * tn * Dh, (h + 1) * tn * Dh), (h * T + t0) * Dh);
    t0 += tn;
  }
  return { data: out, shape: [1, H, T, Dh] };
}

/** Rows [t0, t0 + tn) of a [1, H, T, Dh] tensor as [H, tn, Dh]. */
function rows(y: Tensor, t0: number, tn: number): Tensor {
  const [, H, T, Dh] = y.shape as [number, number, number, number];
  const out = new Float32Array(H * tn * Dh);
  for (let h = 0; h < H; h++) out.set(y.data.subarray((h * T + t0) * Dh, (h * T + t0 + tn) * Dh), h * tn * Dh);
  return { data: out, shape: [H, tn, Dh] };
}

const spec: ModuleBody = {
  summary:
    "Write a key/value cache class for incremental decoding: append each step's keys and values, report how many positions are cached, and attend the newest queries to everything cached with a bottom-right causal mask. The grader drives it through a prefill and token-by-token decoding and checks every step against full causal attention over the whole sequence.",
  functions: [
    { name: "KVCache", signature: "class KVCache { constructor(maxT: number, H: number, Dh: number) }", doc: "room for maxT positions of H heads of width Dh" },
    { name: "append", signature: "append(k: Tensor, v: Tensor): void", doc: "k, v are [H, Tnew, Dh]; stored at positions length .. length + Tnew - 1; past maxT: throw an Error" },
    { name: "length", signature: "get length(): number", doc: "the number of cached positions" },
    { name: "attend", signature: "attend(q: Tensor): Tensor", doc: "q is [H, Tnew, Dh], the queries of the last Tnew positions; out is [H, Tnew, Dh]; query i sees keys j <= length - Tnew + i; scale 1/sqrt(Dh)" },
  ],
  toleranceText: "atol 1e-5 + 2.5e-7 x (T + Dh), rtol 1e-4; length exactly",
  oracleText: "ONNX Attention (opset 23, float64, is_causal) over the whole sequence at once; each attend step is compared with its rows",
  hints: {
    nudge: "Preallocate [H, maxT, Dh] buffers for keys and values and keep a write position. For attend, ask: at which absolute position does query i of a Tnew-row chunk sit?",
    formula: "append copies k[h,t,:] to keys[h, length + t, :]. attend: for query i at position p = length - Tnew + i, out = sum_{j<=p} softmax_j(q_i . k_j / sqrt(Dh)) v_j.",
    pseudocode: [
      "constructor: keys = Float32Array(H*maxT*Dh); values likewise; len = 0",
      "append(k, v): Tnew = k.shape[1]; if len + Tnew > maxT: throw Error",
      "  for h, t, d: keys[(h*maxT + len + t)*Dh + d] = k[(h*Tnew + t)*Dh + d] (and values)",
      "  len += Tnew",
      "attend(q): for h, i: p = len - Tnew + i",
      "  s[j] = q[h,i,:] . keys[h,j,:] / sqrt(Dh) for j <= p; stable softmax over j",
      "  out[h,i,:] = sum_j softmax[j] * values[h,j,:]",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    const steps = c.args[0]!.value as unknown as Step[];
    const [, H, Dh] = steps[0]!.args as [number, number, number];
    const appends = steps.filter((s) => s.op === "call" && s.name === "append").map((s) => s.args as [Tensor, Tensor]);
    const queries = steps.filter((s) => s.op === "call" && s.name === "attend").map((s) => (s.args as [Tensor])[0]);
    const used = appends.slice(0, queries.length); // an overflowing append at the end has no attend
    // each attend's queries sit at the last positions of what was appended before it; positions no
    // query asks about get zero queries, whose output rows are never read
    const qs = used.map((a, i) => {
      const [, tn] = a[0].shape as [number, number, number];
      const q = queries[i]!;
      const tq = q.shape[1]!;
      if (tq === tn) return q;
      const full = new Float32Array(H * tn * Dh);
      for (let h = 0; h < H; h++) full.set(q.data.subarray(h * tq * Dh, (h + 1) * tq * Dh), (h * tn + tn - tq) * Dh);
      return { data: full, shape: [H, tn, Dh] };
    });
    const y = (await ort.run(fullAttention, { q: concat(qs, H, Dh), k: concat(used.map((a) => a[0]), H, Dh), v: concat(used.map((a) => a[1]), H, Dh) })).y as Tensor;
    const out: Value[] = [];
    let len = 0;
    for (const s of steps) {
      if (s.op === "new") out.push(null);
      else if (s.op === "get") out.push(len);
      else if (s.name === "append") {
        len += (s.args![0] as Tensor).shape[1]!;
        out.push(null);
      } else {
        const tn = (s.args![0] as Tensor).shape[1]!;
        out.push(rows(y, len - tn, tn));
      }
    }
    return out;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;
