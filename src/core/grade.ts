// The grading engine: compile, run in a worker, compare with fixtures and live oracle outputs,
// check inputs and properties, name a known mistake. Pure: returns a Report, prints nothing.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { compareValue, firstChange, sameValue } from "./compare.js";
import { codeFrame, compileDrill, type SourceLocation } from "./compile.js";
import { loadFixtures, type FixtureCase } from "./fixtures.js";
import { moduleSlug } from "./paths.js";
import { type ArgSummary, type CaseSummary, type Failure, type Report, type Verdict } from "./report.js";
import { Rng } from "./rng.js";
import { invoke, stepLabel, type Step } from "./invoke.js";
import { DEFAULT_LIMITS, startSandbox, type Sandbox, type SandboxLimits } from "./sandbox.js";
import { isTensorLike } from "./tensor.js";
import type { Case, Mistake, ModuleSpec, OracleRunner, Value } from "./types.js";

export interface GradeOptions {
  /** The learner's drill file (absolute path). */
  file: string;
  /** Where compiled bundles go. */
  buildDir: string;
  seed: number;
  limits?: Partial<SandboxLimits>;
  /** Fixture cases to use instead of the module's fixture file (tests, curriculum check). */
  fixtures?: FixtureCase[];
  /** Oracle runner (defaults to onnxruntime-node, loaded on first use). */
  oracle?: OracleRunner;
  /**
   * A worker started ahead of time with `startSandbox(gradeLimits(spec, limits))` (watch mode keeps one
   * ready for the next save). grade uses it up: it runs it or disposes it. Without one, grade starts its own.
   */
  sandbox?: Sandbox;
}

/** The sandbox limits grade uses for a module: the defaults, the module's time limit, then overrides. */
export function gradeLimits(spec: ModuleSpec, limits?: Partial<SandboxLimits>): SandboxLimits {
  return { ...DEFAULT_LIMITS, ...(spec.timeLimitMs ? { timeLimitMs: spec.timeLimitMs } : {}), ...limits };
}

export class InternalError extends Error {}

interface GradedCase extends Case { source: "fixture" | "random"; expected: Promise<Value | undefined> }

async function defaultOracle(): Promise<OracleRunner> {
  return (await import("../onnx/runtime.js")).ortRunner;
}

/** Expected outputs of fresh cases, computed while the learner's code compiles and runs. */
function oracleOutputs(spec: ModuleSpec, cases: Case[], runner: Promise<OracleRunner>): Promise<Value>[] {
  return cases.map((c) =>
    runner.then((r) => spec.oracle(c, r)).catch((e: unknown) => {
      throw new InternalError(`the oracle of ${moduleSlug(spec)} failed on "${c.name}": ${(e as Error).message}`);
    }),
  );
}

export function summarizeArgs(c: Case): ArgSummary[] {
  return c.args.map(({ name, value }) => {
    if (isTensorLike(value)) {
      const data = value.data as ArrayLike<number>;
      const dtype = Object.prototype.toString.call(value.data).slice(8, -1);
      return data.length <= 32 ? { name, shape: value.shape, dtype, value: Array.from(data) } : { name, shape: value.shape, dtype };
    }
    if (Array.isArray(value)) return { name, value: `[${value.length} items]` };
    return { name, value };
  });
}

const FRAME_RE = /\(?(?:file:\/\/)?(\/[^():]+\.(?:ts|tsx|mts|cts|js|mjs)):(\d+):(\d+)\)?/;

/** The first frame of a stack trace inside the learner's own files, with a code frame. */
export function learnerLocation(stack: string | undefined, buildDir: string): SourceLocation | undefined {
  if (!stack) return undefined;
  for (const line of stack.split("\n").slice(1)) {
    const m = FRAME_RE.exec(line);
    if (!m) continue;
    const file = m[1]!;
    if (file.startsWith(buildDir) || file.includes("/node_modules/") || file.includes("/dist/worker")) continue;
    const ln = Number(m[2]), col = Number(m[3]);
    let src = "";
    try {
      src = readFileSync(file, "utf8");
    } catch { /* file gone */ }
    return { file, line: ln, column: col, frame: src ? codeFrame(src, ln, col) : "" };
  }
  return undefined;
}

/** The output of a mistake on a case, or undefined when it throws or does not override c.fn. */
function mistakeOutput(m: Mistake, c: Case): unknown {
  if (!m.impl[c.fn]) return undefined;
  try {
    return invoke(m.impl, c.fn, c.args.map((a) => structuredClone(a.value)), c.drive);
  } catch {
    return undefined;
  }
}

/**
 * The known mistake whose output the learner's output reproduces on this case, if any. When several
 * reproduce it, the learner's outputs on the other cases (`others`) decide: the mistake that matches
 * the most of them wins (the first listed on a tie).
 */
export function matchMistake(spec: ModuleSpec, c: Case, got: unknown, others: { c: Case; got: unknown }[] = [], want?: Value): Mistake | undefined {
  const hits = spec.mistakes.filter((m) => {
    const out = mistakeOutput(m, c);
    if (out === undefined || compareValue(got, out as Value, c.tol) !== null) return false;
    // a mistake that gets this case right cannot explain a failure on it (a property check failed)
    return want === undefined || compareValue(out, want, c.tol) !== null;
  });
  if (hits.length <= 1) return hits[0];
  let best = hits[0]!, bestScore = -1;
  for (const m of hits) {
    let score = 0;
    for (const o of others) {
      if (o.c.fn !== c.fn && !m.impl[o.c.fn]) continue;
      const out = m.impl[o.c.fn] ? mistakeOutput(m, o.c) : undefined;
      if (out !== undefined && compareValue(o.got, out as Value, o.c.tol) === null) score++;
    }
    if (score > bestScore) {
      best = m;
      bestScore = score;
    }
  }
  return best;
}

function caseLabel(c: GradedCase, i: number, nFix: number): string {
  return c.source === "fixture" ? c.name : `random ${i - nFix + 1}: ${c.name}`;
}

export async function grade(spec: ModuleSpec, opts: GradeOptions): Promise<Report> {
  const t0 = performance.now();
  const timing = { compileMs: 0, workerStartMs: 0, oracleMs: 0, learnerMs: 0, compareMs: 0, totalMs: 0 };
  const limits = gradeLimits(spec, opts.limits);
  const base = { module: moduleSlug(spec), title: spec.title, file: opts.file, seed: opts.seed };

  // cases: fixtures first, then fresh random ones whose expected outputs the oracle computes meanwhile
  const fixtures = opts.fixtures ?? loadFixtures(spec);
  const random = spec.randomCases(new Rng(opts.seed));
  let tOracle = performance.now();
  // the oracle starts once the file has compiled: loading onnxruntime and building its sessions block
  // this thread for tens of milliseconds, and the compile is what the learner's worker waits for;
  // after a compile error the gate never opens and no oracle work is done
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((r) => (openGate = r));
  const runner = gate.then(() => ((tOracle = performance.now()), opts.oracle ?? defaultOracle()));
  const live = oracleOutputs(spec, random, runner);
  let oracleDone = 0;
  const allLive = Promise.all(live).then((v) => ((oracleDone = performance.now()), v));
  allLive.catch(() => undefined); // awaited below; avoid an unhandled rejection before then
  const cases: GradedCase[] = [
    ...fixtures.map((c) => ({ ...c, source: "fixture" as const, expected: Promise.resolve(c.expected) })),
    ...random.map((c, i) => ({ ...c, source: "random" as const, expected: live[i]! })),
  ];
  const summaries: CaseSummary[] = cases.map((c, i) => ({ name: caseLabel(c, i, fixtures.length), fn: c.fn, source: c.source, status: "not-run" }));
  let tcmp = 0;
  const finish = (verdict: Verdict, failure?: Failure, stdout?: string): Report => {
    if (tcmp) timing.compareMs = performance.now() - tcmp;
    timing.totalMs = performance.now() - t0;
    const passed = summaries.filter((s) => s.status === "passed").length;
    return { ...base, verdict, passed, total: cases.length, cases: summaries, failure, stdout: stdout || undefined, timing };
  };

  const sandbox = opts.sandbox ?? startSandbox(limits); // boots while the file compiles
  const tc = performance.now();
  const compiled = await compileDrill(opts.file, opts.buildDir);
  timing.compileMs = performance.now() - tc;
  if (!compiled.ok) {
    sandbox.dispose();
    const e = compiled.error;
    return finish("compile_error", {
      case: "", fn: "", source: "fixture", kind: "syntax",
      message: e.message + (e.more > 0 ? ` (and ${e.more} more error${e.more > 1 ? "s" : ""})` : ""),
      location: e.location,
    });
  }
  openGate();

  const outcome = await sandbox.run(compiled.bundlePath, cases.map((c) => ({ fn: c.fn, args: c.args.map((a) => a.value), drive: c.drive })));
  timing.workerStartMs = outcome.workerStartMs;
  timing.learnerMs = outcome.learnerMs + outcome.loadMs;
  const expected = await allLive; // an InternalError here is llmdrill's fault, not the learner's
  timing.oracleMs = oracleDone - tOracle;

  tcmp = performance.now();
  /** The learner's outputs on every other case that returned, for telling look-alike mistakes apart. */
  const otherOutputs = (skip: number) =>
    cases.flatMap((c, j) => {
      const r = outcome.results[j];
      return j !== skip && r?.ok && !c.expectThrows ? [{ c: c as Case, got: r.out }] : [];
    });
  {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      const s = summaries[i]!;
      const r = outcome.results[i];
      const where = { case: s.name, fn: c.fn, source: c.source, inputs: summarizeArgs(c) };
      if (!r) {
        const f = outcome.fatal;
        if (!f) {
          // the worker said it was done without answering this case: never a pass
          s.status = "failed";
          return finish("runtime_error", { ...where, kind: "crash", message: "no result came back for this case (did your code post messages of its own?)" }, outcome.stdout);
        }
        if (f.kind === "load") {
          const err = f.error!;
          const verdict: Verdict = err.kind === "memory" ? "memory_limit_exceeded" : "runtime_error";
          return finish(verdict, {
            case: "(loading the file)", fn: "", source: c.source,
            kind: err.kind === "error" ? "exception" : err.kind,
            message: `${err.name === "Error" || err.name.endsWith("Error") ? `${err.name}: ` : ""}${err.message}`,
            location: learnerLocation(err.stack, opts.buildDir),
          }, outcome.stdout);
        }
        if (f.call !== undefined && f.call !== i) continue;
        s.status = "failed";
        const atLoad = f.call === undefined;
        const verdict: Verdict = f.kind === "time" ? "time_limit_exceeded" : f.kind === "memory" ? "memory_limit_exceeded" : "runtime_error";
        return finish(verdict, {
          ...where,
          ...(atLoad ? { case: "(loading the file)", fn: "", inputs: undefined } : {}),
          kind: f.kind === "time" ? "time" : f.kind === "memory" ? "memory" : f.kind === "exit" ? "exit" : "crash",
          message: f.message,
          location: learnerLocation(f.error?.stack, opts.buildDir),
        }, outcome.stdout);
      }
      const steps = c.drive ? (c.args[0]!.value as unknown as Step[]) : undefined;
      const atStep = (i?: number) => (steps && i !== undefined && i >= 0 ? `${stepLabel(steps, i)}: ` : "");
      if (!r.ok) {
        // a script must throw at its last step; a plain call anywhere
        if (c.expectThrows && r.error.kind === "error" && (!steps || r.error.step === steps.length - 1)) {
          const e = r.error;
          // the contract: an Error with a message; a ReferenceError is a bug, not a refusal
          if (e.isError && e.name !== "ReferenceError" && e.message.trim() !== "") {
            s.status = "passed";
            continue;
          }
          s.status = "failed";
          s.ms = r.ms;
          const who = steps ? stepLabel(steps, steps.length - 1) : c.fn;
          const got = !e.isError ? e.message : e.name === "ReferenceError" ? `a ReferenceError was thrown (${e.message}): a bug in the code, not a refusal` : `${e.name} was thrown with an empty message`;
          return finish("wrong_answer", {
            ...where, kind: "expected-throw",
            message: `${who} should throw an Error with a message that says what is wrong (the contract names this input invalid), as in throw new Error("..."); instead ${got}`,
            location: learnerLocation(e.stack, opts.buildDir),
          }, outcome.stdout);
        }
        s.status = "failed";
        s.ms = r.ms;
        const err = r.error;
        const verdict: Verdict = err.kind === "memory" ? "memory_limit_exceeded" : "runtime_error";
        const prefix = err.kind === "error" && (err.name === "Error" || err.name.endsWith("Error")) ? `${err.name}: ` : "";
        const overflow = err.kind === "stack-overflow" ? " (stack overflow: recursion too deep or without a base case)" : "";
        return finish(verdict, {
          ...where,
          kind: err.kind === "error" ? "exception" : err.kind,
          message: atStep(err.step) + prefix + err.message + overflow,
          location: learnerLocation(err.stack, opts.buildDir),
        }, outcome.stdout);
      }
      s.ms = r.ms;
      if (c.expectThrows) {
        s.status = "failed";
        const what = steps ? `${stepLabel(steps, steps.length - 1)} should throw an Error (the contract names it invalid), but it returned` : `${c.fn} should throw an Error for this input (the contract names it invalid), but it returned a value`;
        const mistake = matchMistake(spec, c, r.out, otherOutputs(i)); // a known mistake that returns instead of throwing
        return finish("wrong_answer", { ...where, kind: "expected-throw", message: what, mistake: mistake && { id: mistake.id, title: mistake.title, lesson: mistake.lesson } }, outcome.stdout);
      }
      const want = await c.expected;
      let fail = compareValue(r.out, want as Value, c.tol);
      if (!fail) {
        for (let a = 0; a < c.args.length; a++) {
          if (!sameValue(c.args[a]!.value, r.argsAfter[a])) {
            const name = c.args[a]!.name;
            fail = { kind: "mutated", path: name, message: `the input ${name} was modified in place (${name}${firstChange(c.args[a]!.value, r.argsAfter[a])}); return new tensors and leave inputs unchanged` };
            break;
          }
        }
      }
      if (!fail && r.aliased) {
        const name = c.args[r.aliased.arg]?.name ?? "an input";
        fail = { kind: "aliased", path: r.aliased.path, message: `the output ${r.aliased.path} is the input ${name}'s own array (the same memory), not a new one: the values are right, but the caller's ${name} and your result now change together. Copy into a new array (new Float32Array(...), or .slice())` };
      }
      if (!fail && spec.property) {
        const msg = spec.property(c, r.out as Value);
        if (msg) fail = { kind: "property", path: "", message: msg };
      }
      if (!fail) {
        s.status = "passed";
        continue;
      }
      s.status = "failed";
      if (steps) {
        const m = /^\[(\d+)\]/.exec(fail.path);
        if (m) fail = { ...fail, message: `${stepLabel(steps, Number(m[1]))}: ${fail.message}` };
      }
      const mistake = fail.kind === "mutated" || fail.kind === "aliased" ? undefined : matchMistake(spec, c, r.out, otherOutputs(i), want as Value);
      return finish("wrong_answer", {
        ...where,
        ...fail,
        mistake: mistake && { id: mistake.id, title: mistake.title, lesson: mistake.lesson },
      }, outcome.stdout);
    }
    // every call returned and matched
    if (outcome.fatal && outcome.fatal.kind !== "load") {
      return finish("runtime_error", { case: "(after the last case)", fn: "", source: "random", kind: "crash", message: outcome.fatal.message }, outcome.stdout);
    }
    return finish("accepted", undefined, outcome.stdout);
  }
}
