// How a case calls the learner's code, shared by the worker (learner code) and the engine
// (reference, oracle, known mistakes): plain calls, class-driving scripts, and callables that cross
// the thread boundary as descriptors.
// In the worker the learner's file may replace built-ins (Array.prototype.map, Function.prototype.apply,
// the array iterator...): this file uses only plain loops, indexing and intrinsics captured when it
// loads, before any learner code runs.

const apply = Reflect.apply;
const construct = Reflect.construct;
const sliceF32 = Float32Array.prototype.slice;
const typedSet = Object.getPrototypeOf(Float32Array.prototype).set as (this: ArrayLike<number>, src: ArrayLike<number>) => void;
const isView = ArrayBuffer.isView;

/** One step of a script that drives an exported class: construct, call a method, read a getter. */
export interface Step {
  op: "new" | "call" | "get";
  /** Method or property name (call, get). */
  name?: string;
  args?: unknown[];
  /**
   * A caller that reuses its buffers: this call's tensors are written into the arrays passed to the
   * previous call of the same method (when the sizes match), so a class that kept references to
   * them, instead of copies, sees its earlier data change.
   */
  reuse?: boolean;
}

interface Buffered { data: ArrayLike<number> & { length: number }; shape: number[] }

/** The caller's buffer for argument i of a reused call: the previous one refilled, or a fresh copy. */
function refill(prev: unknown, next: unknown): unknown {
  const n = next as Buffered;
  if (typeof n !== "object" || n === null || !isView(n.data)) return next;
  const p = prev as Buffered | undefined;
  const shape: number[] = [];
  for (let i = 0; i < n.shape.length; i++) shape[i] = n.shape[i]!;
  if (p && p.data.length === n.data.length && p.data.constructor === n.data.constructor) {
    apply(typedSet, p.data, [n.data]);
    p.shape = shape;
    return p;
  }
  const Ctor = n.data.constructor as new (src: ArrayLike<number>) => ArrayLike<number> & { length: number };
  return { data: construct(Ctor, [n.data]), shape };
}

/**
 * A function argument, sent as data: `{ $callable: "last-token-row", table }` becomes
 * `(prefix: number[]) => Float32Array`, a copy of the table row of the prefix's last token
 * (a bigram language model's next-token log-probabilities).
 */
export interface CallableSpec {
  $callable: "last-token-row";
  table: { data: Float32Array; shape: number[] };
}

export function isCallableSpec(v: unknown): v is CallableSpec {
  return typeof v === "object" && v !== null && "$callable" in v;
}

/** Replaces callable descriptors (at the top level of an argument list) with functions. */
export function materialize(args: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!isCallableSpec(a)) {
      out[i] = a;
      continue;
    }
    const { data, shape } = a.table;
    const rows = shape[0]!, v = shape[1]!;
    out[i] = (prefix: number[]) => {
      const last = prefix[prefix.length - 1];
      if (typeof last !== "number" || last !== Math.floor(last) || last < 0 || last >= rows) throw new RangeError(`step: token ${String(last)} is not in [0, ${rows})`);
      return apply(sliceF32, data, [last * v, last * v + v]);
    };
  }
  return out;
}

export type Drive = "class";

/** Where a script is, so an error can name its step. */
export interface InvokeState { step: number }

/**
 * Calls `fn` of `mod` with `args`, or, for `drive: "class"`, runs the script `args[0]` against the
 * exported class `fn` and returns every step's result (undefined as null).
 */
export function invoke(mod: Record<string, unknown>, fn: string, args: unknown[], drive?: Drive, state: InvokeState = { step: -1 }): unknown {
  const target = mod[fn];
  if (typeof target !== "function") throw new MissingExportError(fn, target);
  if (drive !== "class") return apply(target as (...a: unknown[]) => unknown, undefined, materialize(args));
  const steps = args[0] as Step[];
  const outs: unknown[] = [];
  let obj: Record<string, unknown> | undefined;
  const buffers: Record<string, unknown[]> = {}; // per method: the arrays a reusing caller passed last
  for (let s = 0; s < steps.length; s++) {
    state.step = s;
    const st = steps[s]!;
    let a = materialize(st.args ?? []);
    if (st.op === "call" && st.reuse) {
      const prev = buffers[st.name!] ?? [];
      const mine: unknown[] = [];
      for (let i = 0; i < a.length; i++) mine[i] = refill(prev[i], a[i]);
      buffers[st.name!] = mine;
      a = mine;
    }
    let r: unknown = null;
    if (st.op === "new") {
      obj = construct(target as new (...x: unknown[]) => Record<string, unknown>, a) as Record<string, unknown>;
    } else if (st.op === "call") {
      const m = obj?.[st.name!];
      if (typeof m !== "function") throw new MissingExportError(`${fn}.${st.name}`, m);
      r = apply(m as (...x: unknown[]) => unknown, obj, a);
    } else {
      r = obj?.[st.name!];
    }
    outs[s] = r === undefined ? null : r;
  }
  state.step = -1;
  return outs;
}

export class MissingExportError extends Error {
  constructor(readonly fn: string, found: unknown) {
    super(found === undefined ? `your file does not export a function named ${fn}` : `${fn} is a ${typeof found}, not a function`);
    if (fn.includes(".")) this.message = found === undefined ? `${fn} is not a method of your class` : `${fn} is a ${typeof found}, not a method`;
  }
}

/** "step 3 (attend)" for messages. */
export function stepLabel(steps: Step[], i: number): string {
  const st = steps[i];
  if (!st) return `step ${i}`;
  return `step ${i} (${st.op === "new" ? "new" : st.op === "get" ? `.${st.name}` : `.${st.name}()`})`;
}
