// The curriculum: ONE ordered list of the registered modules. Nothing is discovered by scanning folders.
// Metadata lives here so that list, progress and name resolution never load a module's spec.
import type { ModuleBody, ModuleMeta, ModuleSpec } from "./core/types.js";

export interface RegistryEntry extends ModuleMeta {
  load: () => Promise<{ default: ModuleBody }>;
}

export const REGISTRY: RegistryEntry[] = [
  { number: 1, id: "tensor-shape", tier: "P0", title: "Tensor shapes: flatten, split and merge attention heads, broadcast a bias", aliases: [], targetMinutes: 10, load: () => import("../modules/001-tensor-shape/spec.js") },
  { number: 2, id: "matrix-multiplication", tier: "P0", title: "Matrix multiplication, plain and batched", aliases: ["matmul"], targetMinutes: 8, load: () => import("../modules/002-matrix-multiplication/spec.js") },
  { number: 3, id: "linear-regression", tier: "P0", title: "Linear regression: normal equations and a gradient step", aliases: [], targetMinutes: 25, load: () => import("../modules/003-linear-regression/spec.js") },
  { number: 4, id: "k-means", tier: "P0", title: "k-means: distances, assignment, update and the loop", aliases: [], targetMinutes: 25, load: () => import("../modules/004-k-means/spec.js") },
  { number: 5, id: "linear-layer", tier: "P0", title: "Linear layer, forward and backward", aliases: ["linear"], targetMinutes: 15, load: () => import("../modules/005-linear-layer/spec.js") },
  { number: 6, id: "embedding", tier: "P0", title: "Token embedding lookup and its backward pass", aliases: [], targetMinutes: 10, load: () => import("../modules/006-embedding/spec.js") },
  { number: 7, id: "activations", tier: "P0", title: "Activations (ReLU, sigmoid, tanh, GELU exact and tanh, SiLU) and their backward passes", aliases: [], targetMinutes: 25, load: () => import("../modules/007-activations/spec.js") },
  { number: 8, id: "softmax", tier: "P0", title: "Softmax, log-softmax and the softmax backward pass", aliases: [], targetMinutes: 12, load: () => import("../modules/008-softmax/spec.js") },
  { number: 9, id: "cross-entropy", tier: "P0", title: "Cross-entropy loss from logits, forward and backward", aliases: [], targetMinutes: 10, load: () => import("../modules/009-cross-entropy/spec.js") },
  { number: 10, id: "kl-divergence", tier: "P0", title: "KL divergence between two softmax distributions, forward and backward", aliases: ["kl"], targetMinutes: 12, load: () => import("../modules/010-kl-divergence/spec.js") },
  { number: 11, id: "mse-loss", tier: "P0", title: "Mean squared error loss, forward and backward", aliases: ["mse"], targetMinutes: 5, load: () => import("../modules/011-mse-loss/spec.js") },
  { number: 12, id: "batchnorm", tier: "P0", title: "Batch normalization: training, eval and backward", aliases: [], targetMinutes: 25, load: () => import("../modules/012-batchnorm/spec.js") },
  { number: 13, id: "dropout", tier: "P0", title: "Inverted dropout and its backward pass", aliases: [], targetMinutes: 8, load: () => import("../modules/013-dropout/spec.js") },
  { number: 14, id: "layernorm", tier: "P0", title: "Layer normalization, forward and backward", aliases: ["layer-norm", "ln"], targetMinutes: 20, load: () => import("../modules/014-layernorm/spec.js") },
  { number: 15, id: "rmsnorm", tier: "P1", title: "RMSNorm, forward and backward", aliases: [], targetMinutes: 15, load: () => import("../modules/015-rmsnorm/spec.js") },
  { number: 16, id: "causal-mask", tier: "P1", title: "Causal mask (bottom-right for decoding), applying a mask, padding mask", aliases: [], targetMinutes: 10, load: () => import("../modules/016-causal-mask/spec.js") },
  { number: 17, id: "scaled-dot-product-attention", tier: "P1", title: "Scaled dot-product attention", aliases: ["attention", "sdpa"], targetMinutes: 15, load: () => import("../modules/017-scaled-dot-product-attention/spec.js") },
  { number: 18, id: "multi-head-attention", tier: "P1", title: "Multi-head self-attention", aliases: ["mha"], targetMinutes: 20, load: () => import("../modules/018-multi-head-attention/spec.js") },
  { number: 19, id: "grouped-query-attention", tier: "P1", title: "Grouped-query attention (GQA and MQA)", aliases: ["gqa", "mqa"], targetMinutes: 20, load: () => import("../modules/019-grouped-query-attention/spec.js") },
  { number: 20, id: "rope", tier: "P1", title: "Rotary position embeddings: tables, half-split and interleaved", aliases: [], targetMinutes: 15, load: () => import("../modules/020-rope/spec.js") },
  { number: 21, id: "ffn-mlp", tier: "P1", title: "Feed-forward network (GPT-2 MLP with tanh GELU)", aliases: ["ffn", "mlp"], targetMinutes: 10, load: () => import("../modules/021-ffn-mlp/spec.js") },
  { number: 22, id: "swiglu-ffn", tier: "P1", title: "SwiGLU feed-forward network and Llama's hidden size", aliases: ["swiglu"], targetMinutes: 10, load: () => import("../modules/022-swiglu-ffn/spec.js") },
  { number: 23, id: "lm-head-weight-tying", tier: "P1", title: "LM head with weight tying: logits, gradient of a shared matrix, parameter count", aliases: ["lm-head", "tying"], targetMinutes: 15, load: () => import("../modules/023-lm-head-weight-tying/spec.js") },
  { number: 24, id: "alibi", tier: "P1", title: "ALiBi: slopes, linear position bias and attention with it", aliases: [], targetMinutes: 20, load: () => import("../modules/024-alibi/spec.js") },
  { number: 25, id: "kv-cache", tier: "P2", title: "A KV cache for incremental decoding", aliases: ["kvcache", "cache"], targetMinutes: 20, load: () => import("../modules/025-kv-cache/spec.js") },
  { number: 26, id: "decoder-block", tier: "P2", title: "A pre-norm Llama decoder block: RMSNorm, GQA with RoPE, SwiGLU", aliases: [], targetMinutes: 35, load: () => import("../modules/026-decoder-block/spec.js") },
  { number: 27, id: "tiny-gpt-forward", tier: "P2", title: "Tiny GPT forward pass: embedding, decoder blocks, final norm, tied head", aliases: ["gpt"], targetMinutes: 20, load: () => import("../modules/027-tiny-gpt-forward/spec.js") },
  { number: 28, id: "greedy-temperature-sampling", tier: "P2", title: "Greedy and temperature sampling", aliases: ["greedy", "temperature"], targetMinutes: 12, load: () => import("../modules/028-greedy-temperature-sampling/spec.js") },
  { number: 29, id: "top-k-sampling", tier: "P2", title: "Top-k sampling", aliases: ["top-k"], targetMinutes: 12, load: () => import("../modules/029-top-k-sampling/spec.js") },
  { number: 30, id: "top-p-sampling", tier: "P2", title: "Top-p (nucleus) sampling", aliases: ["top-p", "nucleus"], targetMinutes: 15, load: () => import("../modules/030-top-p-sampling/spec.js") },
  { number: 31, id: "adamw", tier: "P2", title: "AdamW optimizer step", aliases: [], targetMinutes: 12, load: () => import("../modules/031-adamw/spec.js") },
  { number: 32, id: "gradient-clipping", tier: "P2", title: "Gradient clipping by global norm", aliases: ["clip"], targetMinutes: 8, load: () => import("../modules/032-gradient-clipping/spec.js") },
  { number: 33, id: "sft-loss", tier: "P2", title: "Supervised fine-tuning loss: shifted, masked cross-entropy and its gradient", aliases: ["sft"], targetMinutes: 15, load: () => import("../modules/033-sft-loss/spec.js") },
  { number: 34, id: "beam-search", tier: "P2", title: "Beam search with eos handling and a length penalty", aliases: ["beam"], targetMinutes: 20, load: () => import("../modules/034-beam-search/spec.js") },
  { number: 35, id: "gradient-accumulation", tier: "P2", title: "Gradient accumulation: one optimizer step per several micro-batches", aliases: ["grad-accum"], targetMinutes: 12, load: () => import("../modules/035-gradient-accumulation/spec.js") },
];

export const TIERS = { P0: "fundamentals", P1: "core layers of an LLM", P2: "inference and training" } as const;

export async function loadSpec(entry: RegistryEntry): Promise<ModuleSpec> {
  const { load, ...meta } = entry;
  const body = (await load()).default;
  return { ...meta, ...body };
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

export class UnknownModuleError extends Error {
  constructor(readonly query: string, readonly suggestions: string[]) {
    super(
      `unknown module "${query}"` +
        (suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(" or ")}?` : "") +
        " (run `llmdrill list` to see them all)",
    );
  }
}

/** Resolves "17", "017", "scaled-dot-product-attention", "attention", "017-scaled-dot-product-attention". */
export function resolveModule(query: string, registry: RegistryEntry[] = REGISTRY): RegistryEntry {
  const q = query.trim().toLowerCase();
  if (/^\d+$/.test(q)) {
    const hit = registry.find((m) => m.number === Number(q));
    if (hit) return hit;
  }
  const hit = registry.find(
    (m) => m.id === q || m.aliases.includes(q) || `${String(m.number).padStart(3, "0")}-${m.id}` === q,
  );
  if (hit) return hit;
  const names = registry.flatMap((m) => [m.id, ...m.aliases].map((n) => ({ n, m })));
  const scored = names
    .map(({ n, m }) => ({ id: m.id, d: n.startsWith(q) || n.includes(q) ? 0 : distance(q, n) }))
    .filter((s) => s.d <= Math.max(2, Math.floor(q.length / 3)))
    .sort((a, b) => a.d - b.d);
  const suggestions = [...new Set(scored.map((s) => s.id))].slice(0, 3);
  throw new UnknownModuleError(query, suggestions);
}
