// The data that flows through llmdrill: tensors, case values, tolerances, module specs.

export type DType = "float32" | "int32" | "uint8";
export type TypedArrayOf<D extends DType> = D extends "float32" ? Float32Array : D extends "int32" ? Int32Array : Uint8Array;

export interface Tensor { data: Float32Array; shape: number[] }
export interface IntTensor { data: Int32Array; shape: number[] }
export interface MaskTensor { data: Uint8Array; shape: number[] }
export type AnyTensor = Tensor | IntTensor | MaskTensor;

/** A value passed to or returned by a learner's function. */
export type Value = AnyTensor | number | boolean | string | null | Value[] | { [key: string]: Value };

/** |got - want| <= atol + rtol * |want|, elementwise. */
export interface Tol { atol: number; rtol: number }

/** Tolerance per output path: "*" for the default and a whole output, "dx" for a field of an object output. */
export type TolMap = Record<string, Tol>;

export interface CaseArg { name: string; value: Value }

/** One call of one exported function. The expected value comes from a fixture or the oracle. */
export interface Case {
  /** Names the lesson: "large logits (+-1e4): subtract the row max". */
  name: string;
  /** Exported function called. */
  fn: string;
  /** Arguments in call order. */
  args: CaseArg[];
  /** Tolerances by output path. */
  tol: TolMap;
  /** Set when the contract says the call must throw (an invalid input); for a script, its last step. */
  expectThrows?: boolean;
  /**
   * "class": fn names an exported class and the single argument `steps` is a script of
   * `{ op: "new" | "call" | "get", name?, args? }` (see core/invoke.ts); the output is the list of
   * every step's result, null for constructors and methods that return nothing.
   */
  drive?: "class";
}

export interface Hints { nudge: string; formula: string; pseudocode: string }

/** A known wrong variant of the reference: functions (or classes) that replace the reference's. */
export interface Mistake {
  id: string;
  /** "softmax without max subtraction" */
  title: string;
  /** "exp overflows for logits above 88 in float32: subtract the row max first" */
  lesson: string;
  /** Functions (or, for class-driving cases, classes) that replace the reference's. */
  impl: Record<string, ((...args: any[]) => unknown) | (new (...args: any[]) => unknown)>;
}

export interface FunctionDoc {
  name: string;
  /** TypeScript signature as the template declares it. */
  signature: string;
  /** Shapes and meaning in one or two lines. */
  doc: string;
}

/** Runs an oracle graph; built lazily by the engine (loads onnxruntime-node on first use). */
export interface OracleRunner {
  run(model: OracleModel, feeds: Record<string, AnyTensor>): Promise<Record<string, AnyTensor>>;
}

/** An ONNX model identified by a key; built once per process and kept as a session. */
export interface OracleModel {
  key: string;
  build(): Uint8Array;
}

export type Tier = "P0" | "P1" | "P2";

/** What the registry knows of a module without loading it (list, resolve, progress). */
export interface ModuleMeta {
  number: number;
  id: string;
  tier: Tier;
  title: string;
  aliases: string[];
  /** Minutes a well-prepared candidate needs. */
  targetMinutes: number;
}

/** What a module's spec.ts exports as default. */
export interface ModuleBody {
  /** What to write, one paragraph. */
  summary: string;
  functions: FunctionDoc[];
  /** The tolerance, as the template states it. */
  toleranceText: string;
  /** The high-level ONNX ops (or "reference + properties") the oracle uses. */
  oracleText: string;
  hints: Hints;
  /** Deterministic named cases; the first is the README's worked example. */
  fixtureCases(): Case[];
  /** Fresh cases drawn from the rng (shapes from the module's ranges). */
  randomCases(rng: import("./rng.js").Rng): Case[];
  /** The expected output of a case, computed by the module's oracle. */
  oracle(c: Case, ort: OracleRunner): Promise<Value>;
  /** Properties of a correct output that need no reference; returns a message when one fails. */
  property?(c: Case, got: Value): string | null;
  /** The reference solution's exports (trusted, in-process). */
  reference: Record<string, unknown>;
  mistakes: Mistake[];
  /** Per-call time limit in ms (default 2000). */
  timeLimitMs?: number;
}

export type ModuleSpec = ModuleMeta & ModuleBody;
