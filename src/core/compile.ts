// Compiles a drill file with esbuild: bundled, so a drill may import the learner's other drills.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const requireCjs = createRequire(import.meta.url);
let esbuildModule: typeof import("esbuild") | undefined;

/**
 * esbuild through require: it is CommonJS, and import() would first scan its source for exports
 * (cjs-module-lexer), a few milliseconds on every submit.
 */
export function loadEsbuild(): typeof import("esbuild") {
  return (esbuildModule ??= requireCjs("esbuild") as typeof import("esbuild"));
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** A few lines of the source with a caret under the column. */
  frame: string;
}

export interface CompileError { message: string; location?: SourceLocation; more: number }

export type CompileResult =
  | { ok: true; bundlePath: string; inputs: string[]; cached: boolean }
  | { ok: false; error: CompileError };

/** Lines around line (1-based) with a caret at column (1-based), as compilers print them. */
export function codeFrame(source: string, line: number, column: number, context = 2): string {
  const lines = source.split(/\r?\n/);
  const from = Math.max(1, line - context), to = Math.min(lines.length, line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const mark = n === line ? ">" : " ";
    out.push(`${mark} ${String(n).padStart(width)} | ${lines[n - 1] ?? ""}`);
    if (n === line) out.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, column - 1))}^`);
  }
  return out.join("\n");
}

function readSafe(p: string): string {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return "";
  }
}

/** Keeps the newest `keep` bundles of the build folder. */
function prune(buildDir: string, keep = 40): void {
  try {
    const files = readdirSync(buildDir).filter((f) => f.endsWith(".mjs"));
    if (files.length <= keep) return;
    const aged = files.map((f) => ({ f, t: statSync(join(buildDir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
    for (const { f } of aged.slice(keep)) unlinkSync(join(buildDir, f));
  } catch { /* a concurrent prune got there first */ }
}

interface IndexEntry { bundle: string; inputs: Record<string, string> }
const sha = (b: Buffer | Uint8Array | string) => createHash("sha256").update(b).digest("hex");

function readIndex(buildDir: string): Record<string, IndexEntry> {
  try {
    return JSON.parse(readFileSync(join(buildDir, "index.json"), "utf8"));
  } catch {
    return {};
  }
}

/**
 * The learner's own files that the last successful compile of `file` bundled besides `file` itself
 * (its imports, transitively; nothing under node_modules), each with the sha256 of the content that
 * was compiled. Watch mode re-grades when one of them changes.
 */
export function compiledImports(file: string, buildDir: string): Map<string, string> {
  const e = readIndex(buildDir)[file];
  const out = new Map<string, string>();
  if (!e) return out;
  for (const [p, h] of Object.entries(e.inputs)) if (p !== file && !/[\\/]node_modules[\\/]/.test(p)) out.set(p, h);
  return out;
}

/** sha256 of a file's bytes, or "missing". */
export function fileSum(p: string): string {
  try {
    return sha(readFileSync(p));
  } catch {
    return "missing";
  }
}

/** The bundle of an earlier compile when the file and everything it imported are unchanged. */
function cached(file: string, buildDir: string): CompileResult | undefined {
  const e = readIndex(buildDir)[file];
  if (!e) return undefined;
  for (const [p, h] of Object.entries(e.inputs)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(p);
    } catch {
      return undefined;
    }
    if (sha(bytes) !== h) return undefined;
  }
  const bundlePath = join(buildDir, e.bundle);
  return existsSync(bundlePath) ? { ok: true, bundlePath, inputs: Object.keys(e.inputs), cached: true } : undefined;
}

function remember(file: string, buildDir: string, bundle: string, inputs: string[]): void {
  const idx = readIndex(buildDir);
  const sums: Record<string, string> = {};
  try {
    for (const p of inputs) sums[p] = sha(readFileSync(p));
  } catch {
    return; // an input vanished meanwhile: do not cache
  }
  idx[file] = { bundle, inputs: sums };
  const tmp = join(buildDir, `index.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(idx));
  renameSync(tmp, join(buildDir, "index.json")); // last writer wins: it is only a cache
}

/**
 * Bundles `file` into `buildDir/<hash>.mjs` with an inline source map (so stack traces name the
 * learner's lines). An unchanged file (and unchanged imports) reuses its bundle without esbuild.
 */
export async function compileDrill(file: string, buildDir: string): Promise<CompileResult> {
  const hit = cached(file, buildDir);
  if (hit) return hit;
  const esbuild = loadEsbuild();
  mkdirSync(buildDir, { recursive: true });
  const provisional = join(buildDir, "bundle.mjs");
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      write: false,
      outfile: provisional,
      sourcemap: "inline",
      sourcesContent: false,
      logLevel: "silent",
      metafile: true,
      absWorkingDir: dirname(file),
      tsconfigRaw: { compilerOptions: { strict: true } },
    });
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    if (!errors || errors.length === 0) return { ok: false, error: { message: (e as Error).message, more: 0 } };
    const first = errors[0]!;
    const loc = first.location;
    let location: SourceLocation | undefined;
    if (loc) {
      const abs = join(dirname(file), loc.file);
      const src = readSafe(existsSync(abs) ? abs : loc.file);
      location = { file: existsSync(abs) ? abs : loc.file, line: loc.line, column: loc.column + 1, frame: codeFrame(src, loc.line, loc.column + 1) };
    }
    return { ok: false, error: { message: first.text, location, more: errors.length - 1 } };
  }
  const out = result.outputFiles[0]!;
  const inputs = Object.keys(result.metafile.inputs).map((p) => join(dirname(file), p));
  // the source map's paths are relative to the bundle's folder, which is the same for every hash
  const hash = createHash("sha256").update(out.contents).digest("hex").slice(0, 16);
  const bundlePath = join(buildDir, `${hash}.mjs`);
  if (!existsSync(bundlePath)) {
    const tmp = `${bundlePath}.${process.pid}.tmp`;
    writeFileSync(tmp, out.contents);
    renameSync(tmp, bundlePath);
    prune(buildDir);
  }
  remember(file, buildDir, `${hash}.mjs`, inputs);
  return { ok: true, bundlePath, inputs, cached: false };
}

export const relPath = (p: string, from = process.cwd()) => {
  const r = relative(from, p);
  return r.startsWith("..") || r === "" ? p : r;
};
