// Float64 twins of reference solutions, for finite-difference checks of backward passes:
// the reference source with Float32Array replaced by Float64Array, bundled and imported.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..", "..");

/** The module's reference.ts computed in float64 end to end. */
export async function reference64(slug: string): Promise<Record<string, (...args: any[]) => any>> {
  const src = readFileSync(join(root, "modules", slug, "reference.ts"), "utf8").replace(/Float32Array/g, "Float64Array");
  const dir = mkdtempSync(join(tmpdir(), "llmdrill-f64-"));
  const entry = join(dir, "reference64.ts");
  writeFileSync(entry, src);
  const out = join(dir, "reference64.mjs");
  await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "node", outfile: out, logLevel: "silent" });
  return import(pathToFileURL(out).href);
}

export interface T64 { data: Float64Array; shape: number[] }

/** Seeded float64 tensor with normal entries. */
export function randn(shape: number[], seed: number, scale = 1): T64 {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = scale * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return { data, shape };
}

/**
 * Central finite differences of L(x) = sum(forward(x) * w) with respect to x.data, in float64.
 * `forward` must read x afresh each call; returns dL/dx.
 */
export function numericGrad(x: T64, loss: () => number, h = 1e-6): Float64Array {
  const g = new Float64Array(x.data.length);
  for (let i = 0; i < x.data.length; i++) {
    const keep = x.data[i]!;
    x.data[i] = keep + h;
    const up = loss();
    x.data[i] = keep - h;
    const down = loss();
    x.data[i] = keep;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** sum(a * b) over flat data. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Largest |a - b| / (1e-8 + |b|) style error, for assertions with a clear bound. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / (1e-6 + Math.abs(b[i]!)));
  return m;
}
