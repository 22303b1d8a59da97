// The curriculum: ONE ordered list of the registered modules. Nothing is discovered by scanning folders.
// Metadata lives here so that list, progress and name resolution never load a module's spec.
import type { ModuleBody, ModuleMeta, ModuleSpec } from "./core/types.js";

export interface RegistryEntry extends ModuleMeta {
  load: () => Promise<{ default: ModuleBody }>;
}

export const REGISTRY: RegistryEntry[] = [
  { number: 3, id: "linear-regression", tier: "P0", title: "Linear regression: normal equations and a gradient step", aliases: [], targetMinutes: 25, load: () => import("../modules/003-linear-regression/spec.js") },
  { number: 4, id: "k-means", tier: "P0", title: "k-means: distances, assignment, update and the loop", aliases: [], targetMinutes: 25, load: () => import("../modules/004-k-means/spec.js") },
  { number: 8, id: "softmax", tier: "P0", title: "Softmax, log-softmax and the softmax backward pass", aliases: [], targetMinutes: 12, load: () => import("../modules/008-softmax/spec.js") },
  { number: 12, id: "batchnorm", tier: "P0", title: "Batch normalization: training, eval and backward", aliases: [], targetMinutes: 25, load: () => import("../modules/012-batchnorm/spec.js") },
  { number: 13, id: "dropout", tier: "P0", title: "Inverted dropout and its backward pass", aliases: [], targetMinutes: 8, load: () => import("../modules/013-dropout/spec.js") },
  // { number: 14, id: "layernorm", tier: "P0", title: "Layer normalization, forward and backward", aliases: ["layer-norm", "ln"], targetMinutes: 20, load: () => import("../modules/014-layernorm/spec.js") },
  // { number: 17, id: "scaled-dot-product-attention", tier: "P1", title: "Scaled dot-product attention", aliases: ["attention", "sdpa"], targetMinutes: 15, load: () => import("../modules/017-scaled-dot-product-attention/spec.js") },
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
