// Compares a learner's output with the expected one: type, dtype, shape, finiteness, closeness.
// Numbers in every message, as llm.c's checker: first mismatches by N-d index, max errors, counts.
import { dtypeOf, isTensorLike, kindName, ndIndex, numel, shapeText } from "./tensor.js";
import type { AnyTensor, Tol, TolMap, Value } from "./types.js";

export type FailureKind =
  | "type" | "dtype" | "shape" | "nonfinite" | "value" | "mutated" | "aliased" | "property" | "expected-throw";

export interface Mismatch { index: string; got: number; want: number; absErr: number }

export interface CompareFailure {
  kind: FailureKind;
  /** Output path: "" for the whole output, "dx", "grads[1]". */
  path: string;
  message: string;
  mismatches?: Mismatch[];
  maxAbsErr?: number;
  maxRelErr?: number;
  outOfTol?: number;
  total?: number;
  tol?: Tol;
}

export const DEFAULT_TOL: Tol = { atol: 1e-5, rtol: 1e-5 };
const SHOW = 5;

export function tolFor(tol: TolMap, path: string): Tol {
  return tol[path] ?? tol[path.replace(/\[\d+\]/g, "")] ?? tol["*"] ?? DEFAULT_TOL;
}

const label = (path: string) => (path === "" ? "output" : path);

function closeEnough(got: number, want: number, t: Tol): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= t.atol + t.rtol * Math.abs(want);
}

/** Elementwise comparison of equal-length arrays; `shape` names indices. */
function compareData(got: ArrayLike<number>, want: ArrayLike<number>, shape: readonly number[], t: Tol, path: string): CompareFailure | null {
  const n = want.length;
  // finiteness first: a NaN or infinity where the answer is finite is its own failure
  let nan = 0, inf = 0, firstBad = -1;
  for (let i = 0; i < n; i++) {
    const g = got[i]!, w = want[i]!;
    if (!Number.isFinite(g) && Number.isFinite(w)) {
      if (Number.isNaN(g)) nan++; else inf++;
      if (firstBad < 0) firstBad = i;
    }
  }
  if (firstBad >= 0) {
    const mism: Mismatch[] = [];
    for (let i = firstBad; i < n && mism.length < SHOW; i++) {
      const g = got[i]!, w = want[i]!;
      if (!Number.isFinite(g) && Number.isFinite(w)) mism.push({ index: ndIndex(i, shape), got: g, want: w, absErr: Math.abs(g - w) });
    }
    const parts = [nan ? `${nan} NaN` : "", inf ? `${inf} infinite` : ""].filter(Boolean).join(" and ");
    return {
      kind: "nonfinite", path, tol: t, mismatches: mism, total: n, outOfTol: nan + inf,
      message: `${label(path)} has ${parts} value${nan + inf === 1 ? "" : "s"} out of ${n} where the answer is finite (first at ${label(path)}${mism[0]!.index})`,
    };
  }
  let bad = 0, maxAbs = 0, maxRel = 0;
  const mism: Mismatch[] = [];
  for (let i = 0; i < n; i++) {
    const g = got[i]!, w = want[i]!;
    if (Number.isFinite(w)) {
      const abs = Math.abs(g - w);
      if (abs > maxAbs) maxAbs = abs;
      // relative error where the answer is not 0 (against 0 it is infinite and says nothing)
      if (w !== 0 && abs / Math.abs(w) > maxRel) maxRel = abs / Math.abs(w);
    }
    if (!closeEnough(g, w, t)) {
      bad++;
      if (mism.length < SHOW) mism.push({ index: ndIndex(i, shape), got: g, want: w, absErr: Math.abs(g - w) });
    }
  }
  if (bad === 0) return null;
  return {
    kind: "value", path, mismatches: mism, maxAbsErr: maxAbs, maxRelErr: maxRel, outOfTol: bad, total: n, tol: t,
    message: `${bad} of ${n} values of ${label(path)} out of tolerance (atol ${tolText(t.atol)}, rtol ${tolText(t.rtol)}); max abs error ${fmt(maxAbs)}${maxRel > 0 ? `, max rel error ${fmt(maxRel)}` : ""}`,
  };
}

/** A tolerance as written by hand: 1.15e-5, not 0.000011500000000000002. */
const tolText = (x: number) => String(Number(x.toPrecision(6)));

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(7))) : x.toExponential(3);
}

/** Compares got with want; null when they agree within tolerance. */
export function compareValue(got: unknown, want: Value, tol: TolMap, path = ""): CompareFailure | null {
  if (isTensorLike(want)) return compareTensor(got, want, tol, path);
  if (typeof want === "number") {
    if (typeof got !== "number") {
      return { kind: "type", path, message: `${label(path)} should be a number, got ${kindName(got)}` };
    }
    return compareData([got], [want], [], tolFor(tol, path), path);
  }
  if (typeof want === "boolean" || typeof want === "string" || want === null) {
    if (got !== want) return { kind: "value", path, message: `${label(path)} should be ${JSON.stringify(want)}, got ${safeText(got)}` };
    return null;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) return { kind: "type", path, message: `${label(path)} should be an array of ${want.length}, got ${kindName(got)}` };
    if (got.length !== want.length) {
      return { kind: "shape", path, message: `${label(path)} should have ${want.length} items, got ${got.length}` };
    }
    for (let i = 0; i < want.length; i++) {
      const f = compareValue(got[i], want[i]!, tol, `${path}[${i}]`);
      if (f) return f;
    }
    return null;
  }
  // object with named fields
  if (typeof got !== "object" || got === null || Array.isArray(got) || ArrayBuffer.isView(got)) {
    return { kind: "type", path, message: `${label(path)} should be an object with fields { ${Object.keys(want).join(", ")} }, got ${kindName(got)}` };
  }
  for (const [k, w] of Object.entries(want)) {
    const sub = path ? `${path}.${k}` : k;
    if (!(k in got)) return { kind: "type", path: sub, message: `${label(path)} is missing the field "${k}"` };
    const f = compareValue((got as Record<string, unknown>)[k], w, tol, sub);
    if (f) return f;
  }
  return null;
}

function compareTensor(got: unknown, want: AnyTensor, tol: TolMap, path: string): CompareFailure | null {
  const wantType = kindName(want.data);
  const what = wantType === "Float32Array" ? "Tensor" : wantType === "Int32Array" ? "IntTensor" : "MaskTensor";
  if (typeof got !== "object" || got === null || Array.isArray(got) || ArrayBuffer.isView(got) || !("data" in got) || !("shape" in got)) {
    return { kind: "type", path, message: `${label(path)} should be a ${what} { data: ${wantType}, shape }, got ${kindName(got)}${typeof got === "object" && got !== null && !Array.isArray(got) && !ArrayBuffer.isView(got) ? ` with fields { ${Object.keys(got).join(", ")} }` : ""}` };
  }
  const g = got as { data: unknown; shape: unknown };
  if (dtypeOf(g.data) !== dtypeOf(want.data)) {
    return { kind: "dtype", path, message: `${label(path)}.data should be a ${wantType}, got ${kindName(g.data)}` };
  }
  const gd = g.data as ArrayLike<number>;
  if (!Array.isArray(g.shape) || !g.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    return { kind: "shape", path, message: `${label(path)}.shape should be an array of whole numbers like ${shapeText(want.shape)}, got ${safeText(g.shape)}` };
  }
  const gs = g.shape as number[];
  if (gs.length !== want.shape.length || gs.some((d, i) => d !== want.shape[i])) {
    return { kind: "shape", path, message: `${label(path)} has shape ${shapeText(gs)}, expected ${shapeText(want.shape)}` };
  }
  if (gd.length !== numel(want.shape)) {
    return { kind: "shape", path, message: `${label(path)}.data has ${gd.length} values but shape ${shapeText(gs)} holds ${numel(gs)}` };
  }
  const t = want.data instanceof Float32Array ? tolFor(tol, path) : { atol: 0, rtol: 0 };
  return compareData(gd, want.data, want.shape, t, path);
}

function safeText(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + "..." : s;
  } catch {
    return kindName(v);
  }
}

/** Bitwise equality of values (NaN equals NaN): for "inputs left unchanged". */
export function sameValue(a: unknown, b: unknown): boolean {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<number>, y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length || kindName(a) !== kindName(b)) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameValue((a as any)[k], (b as any)[k]));
  }
  return Object.is(a, b);
}

/** First element of a tensor input that changed, for the "input mutated" message. */
export function firstChange(before: unknown, after: unknown): string {
  if (isTensorLike(before) && isTensorLike(after)) {
    const x = before.data as ArrayLike<number>, y = after.data as ArrayLike<number>;
    if (x.length === y.length) {
      for (let i = 0; i < x.length; i++) {
        if (!Object.is(x[i], y[i])) return `${ndIndex(i, before.shape)} was ${fmt(x[i]!)}, now ${fmt(y[i]!)}`;
      }
    }
    return "its shape or length changed";
  }
  return "it changed";
}
