// How a case calls the learner's code, shared by the worker (learner code) and the engine
// (reference, oracle, known mistakes): plain calls, class-driving scripts, and callables that cross
// the thread boundary as descriptors.

/** One step of a script that drives an exported class: construct, call a method, read a getter. */
export interface Step {
  op: "new" | "call" | "get";
  /** Method or property name (call, get). */
  name?: string;
  args?: unknown[];
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
  return args.map((a) => {
    if (!isCallableSpec(a)) return a;
    const { data, shape } = a.table;
    const v = shape[1]!;
    return (prefix: number[]) => {
      const last = prefix[prefix.length - 1];
      if (!Number.isInteger(last) || last! < 0 || last! >= shape[0]!) throw new RangeError(`step: token ${String(last)} is not in [0, ${shape[0]})`);
      return data.slice(last! * v, last! * v + v);
    };
  });
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
  if (drive !== "class") return (target as (...a: unknown[]) => unknown)(...materialize(args));
  const steps = args[0] as Step[];
  const outs: unknown[] = [];
  let obj: Record<string, unknown> | undefined;
  for (let s = 0; s < steps.length; s++) {
    state.step = s;
    const st = steps[s]!;
    const a = materialize(st.args ?? []);
    if (st.op === "new") {
      obj = new (target as new (...x: unknown[]) => Record<string, unknown>)(...a);
      outs.push(null);
    } else if (st.op === "call") {
      const m = obj?.[st.name!];
      if (typeof m !== "function") throw new MissingExportError(`${fn}.${st.name}`, m);
      const r = (m as (...x: unknown[]) => unknown).apply(obj, a);
      outs.push(r === undefined ? null : r);
    } else {
      const r = obj?.[st.name!];
      outs.push(r === undefined ? null : r);
    }
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
