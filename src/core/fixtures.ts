// Fixture files: one JSON file per module, readable with any JSON library (see fixtures/README.md).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fixturePath, moduleSlug, packageRoot } from "./paths.js";
import { isTensorLike, dtypeOf } from "./tensor.js";
import type { Case, ModuleSpec, TolMap, Value } from "./types.js";

export const FIXTURE_FORMAT = "llmdrill-fixtures";
export const FIXTURE_VERSION = 1;

export interface FixtureCase extends Case { expected: Value | undefined }

/** A fixture file that is missing, edited or unreadable: says how to regenerate it. */
export class FixtureError extends Error {}

export const MANIFEST_FORMAT = "llmdrill-fixture-manifest";
export const manifestPath = () => join(packageRoot(), "fixtures", "MANIFEST.json");
export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The manifest text for fixture files given as { "008-softmax.json": text }. */
export function encodeManifest(files: Record<string, string>): string {
  const sums = Object.fromEntries(Object.keys(files).sort().map((f) => [f, sha256(files[f]!)]));
  return stableJson({ format: MANIFEST_FORMAT, version: 1, generatedBy: "npm run fixtures", sha256: sums }) + "\n";
}

let manifest: Record<string, string> | undefined;
function manifestSums(): Record<string, string> {
  if (manifest) return manifest;
  let doc: any;
  try {
    doc = JSON.parse(readFileSync(manifestPath(), "utf8"));
  } catch {
    throw new FixtureError(`the fixture checksum manifest ${manifestPath()} is missing or unreadable; regenerate the fixtures with \`npm run fixtures\` in the llmdrill checkout`);
  }
  if (doc?.format !== MANIFEST_FORMAT || typeof doc.sha256 !== "object") throw new FixtureError(`${manifestPath()} is not a fixture manifest; regenerate with \`npm run fixtures\``);
  return (manifest = doc.sha256 as Record<string, string>);
}

// ---- encoding ----

function encNum(x: number): number | string {
  return Number.isFinite(x) ? x : String(x); // "Infinity", "-Infinity", "NaN"
}

function encodeValue(v: Value): unknown {
  if (isTensorLike(v)) return { dtype: dtypeOf(v.data), shape: v.shape, data: Array.from(v.data as ArrayLike<number>, encNum) };
  if (typeof v === "number") return Number.isFinite(v) ? v : { $number: String(v) };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(x)]));
  return v;
}

function decNum(x: unknown): number {
  if (typeof x === "number") return x;
  if (x === "Infinity") return Infinity;
  if (x === "-Infinity") return -Infinity;
  if (x === "NaN") return NaN;
  throw new FixtureError(`bad number ${JSON.stringify(x)}`);
}

export function decodeValue(v: unknown): Value {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("$number" in o) return decNum(o.$number);
    if ("dtype" in o && "shape" in o && "data" in o) {
      const data = (o.data as unknown[]).map(decNum);
      const shape = o.shape as number[];
      switch (o.dtype) {
        case "float32": return { data: Float32Array.from(data), shape };
        case "int32": return { data: Int32Array.from(data), shape };
        case "uint8": return { data: Uint8Array.from(data), shape };
        default: throw new FixtureError(`unknown dtype ${JSON.stringify(o.dtype)}`);
      }
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeValue(x)]));
  }
  return v as Value;
}

/** JSON with objects indented and arrays of plain values on one line: diffable and readable. */
export function stableJson(v: unknown, indent = ""): string {
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== "object")) return `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
    const inner = indent + "  ";
    return `[\n${v.map((x) => inner + stableJson(x, inner)).join(",\n")}\n${indent}]`;
  }
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    const inner = indent + "  ";
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${stableJson(x, inner)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(v);
}

/** Tensors (or objects and lists holding tensors) are inputs; plain numbers and flags are params. */
function holdsTensor(v: Value): boolean {
  if (isTensorLike(v)) return true;
  if (Array.isArray(v)) return v.some(holdsTensor);
  if (v !== null && typeof v === "object") return Object.values(v).some(holdsTensor);
  return false;
}

/** The fixture file text for a module, from its cases and their expected outputs. */
export function encodeFixtures(spec: ModuleSpec, cases: FixtureCase[]): string {
  const doc = {
    format: FIXTURE_FORMAT,
    version: FIXTURE_VERSION,
    module: moduleSlug(spec),
    generatedBy: "npm run fixtures",
    cases: cases.map((c) => {
      const inputs: Record<string, unknown> = {};
      const params: Record<string, unknown> = {};
      for (const a of c.args) (holdsTensor(a.value) ? inputs : params)[a.name] = encodeValue(a.value);
      return {
        name: c.name,
        function: c.fn,
        call: c.args.map((a) => a.name),
        inputs,
        params,
        tolerance: c.tol,
        ...(c.drive ? { drive: c.drive } : {}),
        ...(c.expectThrows ? { expectThrows: true } : { expected: encodeValue(c.expected as Value) }),
      };
    }),
  };
  return stableJson(doc) + "\n";
}

export function decodeFixtures(text: string, where: string): FixtureCase[] {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FixtureError(`${where} is not valid JSON (${(e as Error).message})`);
  }
  if (doc?.format !== FIXTURE_FORMAT) throw new FixtureError(`${where} is not an llmdrill fixture file`);
  if (doc.version !== FIXTURE_VERSION) throw new FixtureError(`${where} has fixture version ${doc.version}; this llmdrill reads version ${FIXTURE_VERSION}`);
  return (doc.cases as any[]).map((c) => {
    const args = (c.call as string[]).map((name) => ({
      name,
      value: decodeValue(name in c.inputs ? c.inputs[name] : c.params[name]),
    }));
    return {
      name: c.name as string,
      fn: c.function as string,
      args,
      tol: c.tolerance as TolMap,
      expectThrows: c.expectThrows === true ? true : undefined,
      drive: c.drive === "class" ? ("class" as const) : undefined,
      expected: c.expectThrows ? undefined : decodeValue(c.expected),
    };
  });
}

/** Reads a module's fixtures; a missing or unreadable file says how to regenerate it. */
export function loadFixtures(spec: ModuleSpec): FixtureCase[] {
  const p = fixturePath(spec);
  let text: string;
  try {
    text = readFileSync(p, "utf8");
  } catch {
    throw new FixtureError(`the fixture file ${p} is missing; regenerate it with \`npm run fixtures\` in the llmdrill checkout`);
  }
  const want = manifestSums()[basename(p)];
  if (want === undefined) throw new FixtureError(`${p} is not listed in ${manifestPath()}; regenerate with \`npm run fixtures\``);
  if (sha256(text) !== want) throw new FixtureError(`${p} does not match its checksum in ${manifestPath()} (edited or damaged); regenerate it with \`npm run fixtures\``);
  try {
    return decodeFixtures(text, p);
  } catch (e) {
    throw new FixtureError(`${(e as Error).message}; regenerate it with \`npm run fixtures\``);
  }
}
