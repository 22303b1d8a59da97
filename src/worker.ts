// The learner's code runs here, in a worker thread with heap limits; the parent holds the clock.
// Expected outputs never reach this thread: it receives inputs, returns outputs and the inputs as
// they are after the call (so the parent can tell whether one was mutated).
import { parentPort } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { invoke, MissingExportError, type Drive, type InvokeState } from "./core/invoke.js";

export interface WorkerCall { fn: string; args: unknown[]; drive?: Drive }
export interface WorkerInit { bundleUrl: string; calls: WorkerCall[]; maxArrayBytes: number }

export interface ThrownInfo {
  /** "Error", "TypeError", ..., or "string" / "null" / "object" for values that are not Errors. */
  name: string;
  message: string;
  stack?: string;
  kind: "error" | "stack-overflow" | "memory" | "forbidden" | "not-a-function" | "unreadable-result";
  /** The thrown value is an Error (or a subclass), as the contract's "throws an Error with a message" asks. */
  isError?: boolean;
  /** The script step that threw, for class-driving cases. */
  step?: number;
}

export type WorkerMessage =
  | { type: "loaded"; ms: number; exports: string[] }
  | { type: "load-error"; error: ThrownInfo }
  | { type: "start"; i: number }
  | { type: "result"; i: number; ok: true; out: unknown; argsAfter: unknown[]; ms: number; aliased?: Aliased }
  | { type: "result"; i: number; ok: false; error: ThrownInfo; ms: number }
  | { type: "done" };

// intrinsics the harness uses after the learner's file has loaded (and may have replaced built-ins)
const port = parentPort!;
const post = port.postMessage.bind(port);
const now = performance.now.bind(performance);
const stringify = JSON.stringify;
const keysOf = Object.keys;
const strSlice = String.prototype.slice;
const cut = (t: string, n: number) => Reflect.apply(strSlice, t, [0, n]) as string;
let init: WorkerInit;
const isView = ArrayBuffer.isView;
const bufferGetter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), "buffer")!.get!;
const isArray = Array.isArray;

/** An output array that is an input's own memory: where in the output, and which argument. */
export interface Aliased { path: string; arg: number }

/** Calls visit(array, path) for every typed array in v (tensors, objects of tensors, arrays of them). */
function eachTyped(v: unknown, path: string, depth: number, visit: (a: ArrayBufferView, path: string) => boolean): boolean {
  if (isView(v)) return visit(v, path);
  if (depth > 3 || typeof v !== "object" || v === null) return false;
  if (isArray(v)) {
    for (let i = 0; i < v.length; i++) if (eachTyped(v[i], `${path}[${i}]`, depth + 1, visit)) return true;
    return false;
  }
  const keys = keysOf(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (eachTyped((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1, visit)) return true;
  }
  return false;
}

/** The first output array that shares memory with an input array (the contract: return new tensors). */
function aliasOf(out: unknown, args: unknown[]): Aliased | undefined {
  try {
    const bufs: unknown[] = [], owner: number[] = [];
    for (let a = 0; a < args.length; a++) {
      eachTyped(args[a], "", 0, (t) => {
        bufs[bufs.length] = Reflect.apply(bufferGetter, t, []);
        owner[owner.length] = a;
        return false;
      });
    }
    let found: Aliased | undefined;
    eachTyped(out, "", 0, (t, path) => {
      let b: unknown;
      try { b = Reflect.apply(bufferGetter, t, []); } catch { return false; }
      for (let j = 0; j < bufs.length; j++) if (bufs[j] === b) { found = { path: path || "(the result)", arg: owner[j]! }; return true; }
      return false;
    });
    return found;
  } catch {
    return undefined; // an output that cannot be walked was already refused by the clone
  }
}

class MemoryLimitError extends Error {}
class ForbiddenCallError extends Error {}

function describe(e: unknown): ThrownInfo {
  try {
    if (e instanceof MemoryLimitError) return { name: "MemoryLimit", message: e.message, kind: "memory" };
    if (e instanceof MissingExportError) return { name: "MissingExport", message: e.message, kind: "not-a-function" };
    if (e instanceof ForbiddenCallError) return { name: "Forbidden", message: e.message, kind: "forbidden", stack: String(e.stack) };
    if (e instanceof Error) {
      const message = String(e.message);
      const overflow = e instanceof RangeError && /call stack size/i.test(message);
      return { name: String(e.name), message, stack: String(e.stack), kind: overflow ? "stack-overflow" : "error", isError: true };
    }
    if (typeof e === "string") return { name: "string", message: `a string was thrown: ${stringify(cut(e, 300))}`, kind: "error" };
    if (e === null || e === undefined) return { name: String(e), message: `${String(e)} was thrown instead of an Error`, kind: "error" };
    if (typeof e === "object") {
      let text = "";
      try { const j = stringify(e); text = typeof j === "string" ? cut(j, 200) : ""; } catch { text = "(unprintable)"; }
      return { name: "object", message: `an object that is not an Error was thrown: ${text}`, kind: "error" };
    }
    return { name: typeof e, message: `${typeof e} ${String(e)} was thrown instead of an Error`, kind: "error" };
  } catch {
    return { name: "unknown", message: "a value that cannot be inspected was thrown", kind: "error" };
  }
}

// Allocation guard: one typed array or buffer larger than maxArrayBytes is a memory-limit verdict,
// before the machine swaps. (The heap itself is capped by the worker's resourceLimits.)
function guardAllocations(maxBytes: number): void {
  const g = globalThis as unknown as Record<string, any>;
  const names = ["Float32Array", "Float64Array", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "BigInt64Array", "BigUint64Array", "ArrayBuffer", "SharedArrayBuffer"];
  for (const name of names) {
    const Orig = g[name];
    if (typeof Orig !== "function") continue;
    const per: number = Orig.BYTES_PER_ELEMENT ?? 1;
    const Guarded = class extends Orig {
      constructor(...args: any[]) {
        const n = args[0];
        if (typeof n === "number" && n * per > maxBytes) {
          throw new MemoryLimitError(`new ${name}(${n}) asks for ${(n * per / 2 ** 30).toFixed(2)} GiB; one allocation may take at most ${(maxBytes / 2 ** 20).toFixed(0)} MiB`);
        }
        super(...args);
      }
      static [Symbol.hasInstance](x: unknown) {
        return x instanceof Orig;
      }
    };
    Object.defineProperty(Guarded, "name", { value: name });
    g[name] = Guarded;
  }
}

function forbid(): void {
  const p = process as unknown as Record<string, unknown>;
  for (const name of ["exit", "abort", "kill", "reallyExit", "dlopen", "chdir", "setuid", "setgid"]) {
    if (typeof p[name] === "function") {
      p[name] = () => {
        throw new ForbiddenCallError(`process.${name}() is not allowed in a drill: return the result instead`);
      };
    }
  }
}

async function main(): Promise<void> {
  // the worker starts while the drill compiles; the job arrives as the first message
  init = await new Promise<WorkerInit>((resolve) => port.once("message", resolve));
  process.setSourceMapsEnabled(true);
  const clone = structuredClone;
  forbid();
  guardAllocations(init.maxArrayBytes);
  const t0 = now();
  let mod: Record<string, unknown>;
  try {
    mod = await import(init.bundleUrl);
  } catch (e) {
    post({ type: "load-error", error: describe(e) } satisfies WorkerMessage);
    return;
  }
  post({ type: "loaded", ms: now() - t0, exports: keysOf(mod) } satisfies WorkerMessage);
  for (let i = 0; i < init.calls.length; i++) {
    const call = init.calls[i]!;
    post({ type: "start", i } satisfies WorkerMessage);
    const s = now();
    const state: InvokeState = { step: -1 };
    let out: unknown;
    try {
      out = invoke(mod, call.fn, call.args, call.drive, state);
      if (out && typeof (out as { then?: unknown }).then === "function") out = await out;
    } catch (e) {
      const d = describe(e);
      if (state.step >= 0) d.step = state.step;
      post({ type: "result", i, ok: false, error: d, ms: now() - s } satisfies WorkerMessage);
      continue;
    }
    const ms = now() - s;
    try {
      // cloning here reads every field once: a Proxy, a throwing getter or a function fails now, in our hands
      const copy = clone(out);
      const aliased = call.drive ? undefined : aliasOf(out, call.args);
      const msg = { type: "result", i, ok: true, out: copy, argsAfter: call.args, ms, ...(aliased ? { aliased } : {}) } satisfies WorkerMessage;
      post(msg);
    } catch (e) {
      const d = describe(e);
      post({ type: "result", i, ok: false, ms, error: { ...d, kind: "unreadable-result", message: `the returned value cannot be read: ${d.message}` } } satisfies WorkerMessage);
    }
  }
  post({ type: "done" } satisfies WorkerMessage);
}

main().catch((e) => post({ type: "load-error", error: describe(e) }));
