// Every kind of bad solution gets its own precise verdict, never a stack trace from llmdrill.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, submitJson, tempWorkspace } from "../helpers/cli.ts";

const REF = readFileSync(join(import.meta.dirname, "..", "..", "modules", "008-softmax", "reference.ts"), "utf8");

/** The softmax reference with its softmax body replaced. */
const withSoftmax = (body: string) => REF.replace(/export function softmax\(x: Tensor\): Tensor \{[\s\S]*?\n\}\n/, `export function softmax(x: Tensor): Tensor {\n${body}\n}\n`);

let ws: string;
let file: string;
beforeAll(() => {
  ws = tempWorkspace();
  expect(cli(ws, ["start", "softmax", "--no-watch"]).code).toBe(0);
  file = join(ws, "drills", "008-softmax.ts");
});

function grade(source: string, extra: string[] = []) {
  writeFileSync(file, source);
  const r = submitJson(ws, "softmax", extra);
  expect(r.run.stderr).not.toMatch(/at .*dist\//); // no llmdrill stack trace
  return r;
}

describe("verdicts", () => {
  it("a syntax error is a compile error with file, line, column and a code frame", () => {
    const src = REF.replace("let sum = 0;", "let sum = ;");
    const { run, report } = grade(src);
    expect(run.code).toBe(1);
    expect(report.verdict).toBe("compile_error");
    const line = src.split("\n").findIndex((l) => l.includes("let sum = ;")) + 1;
    expect(report.failure.location.file).toBe(file);
    expect(report.failure.location.line).toBe(line);
    expect(report.failure.location.column).toBeGreaterThan(1);
    expect(report.failure.location.frame).toContain("let sum = ;");
  });

  it("an exception is a runtime error with the message and the learner's own line", () => {
    const src = withSoftmax('  const rows = x.shape[0];\n  if (rows > 0) throw new TypeError("boom " + rows);\n  return x;');
    const { run, report } = grade(src);
    expect(run.code).toBe(1);
    expect(report.verdict).toBe("runtime_error");
    expect(report.failure.message).toBe("TypeError: boom 2");
    const line = src.split("\n").findIndex((l) => l.includes("boom")) + 1;
    expect(report.failure.location).toMatchObject({ file, line });
    expect(report.failure.case).toBe("worked example: two rows of three logits");
  });

  it("an endless loop in the function is a time limit verdict within a few seconds", () => {
    const { run, report } = grade(withSoftmax("  for (;;) {}"));
    expect(run.code).toBe(1);
    expect(report.verdict).toBe("time_limit_exceeded");
    expect(report.failure.case).toBe("worked example: two rows of three logits");
    expect(report.failure.message).toBe("the call took longer than 2000 ms");
  });

  it("an endless loop at the top level of the file is a time limit verdict too", () => {
    const { report } = grade(REF + "\nwhile (true) {}\n");
    expect(report.verdict).toBe("time_limit_exceeded");
    expect(report.failure.message).toMatch(/loading the file/);
  });

  it("a wrong shape is named with both shapes", () => {
    const { report } = grade(withSoftmax("  return { data: new Float32Array(x.data.length), shape: [x.data.length] };"));
    expect(report.verdict).toBe("wrong_answer");
    expect(report.failure.kind).toBe("shape");
    expect(report.failure.message).toBe("output has shape [6], expected [2,3]");
  });

  it("NaN in the output is its own failure, with the first index", () => {
    const { report } = grade(withSoftmax("  return { data: new Float32Array(x.data.length).fill(NaN), shape: [...x.shape] };"));
    expect(report.verdict).toBe("wrong_answer");
    expect(report.failure.kind).toBe("nonfinite");
    expect(report.failure.message).toMatch(/6 NaN values out of 6/);
    expect(report.failure.mismatches[0].index).toBe("[0,0]");
  });

  it("an input mutated in place is caught even when the output is right", () => {
    const src = withSoftmax("  const n = x.shape[x.shape.length - 1];\n  let m = -Infinity; for (const v of x.data) m = Math.max(m, v);\n" +
      "  for (let r = 0; r < x.data.length; r += n) { let mx = -Infinity; for (let i = 0; i < n; i++) mx = Math.max(mx, x.data[r+i]);" +
      " let s = 0; for (let i = 0; i < n; i++) { x.data[r+i] = Math.exp(x.data[r+i] - mx); s += x.data[r+i]; } for (let i = 0; i < n; i++) x.data[r+i] /= s; }\n" +
      "  return { data: new Float32Array(x.data), shape: [...x.shape] };");
    const { report } = grade(src);
    expect(report.verdict).toBe("wrong_answer");
    expect(report.failure.kind).toBe("mutated");
    expect(report.failure.message).toMatch(/the input x was modified in place \(x\[0,0\] was 1, now 0\.09/);
  });

  it("a wrong dtype names both array types", () => {
    const { report } = grade(withSoftmax("  return { data: new Float64Array(x.data.length), shape: [...x.shape] };"));
    expect(report.failure.kind).toBe("dtype");
    expect(report.failure.message).toBe("output.data should be a Float32Array, got Float64Array");
  });

  it("a known mistake is named with its lesson", () => {
    const { report } = grade(withSoftmax(
      "  const n = x.shape[x.shape.length - 1]; const out = new Float32Array(x.data.length);\n" +
      "  for (let r = 0; r < x.data.length; r += n) { let s = 0; for (let i = 0; i < n; i++) { out[r+i] = Math.exp(x.data[r+i]); s += out[r+i]; } for (let i = 0; i < n; i++) out[r+i] /= s; }\n" +
      "  return { data: out, shape: [...x.shape] };"));
    expect(report.verdict).toBe("wrong_answer");
    expect(report.failure.case).toBe("large logits (+-1e4): subtract the row max before exp");
    expect(report.failure.mistake.id).toBe("no-max-subtraction");
    expect(report.failure.mistake.lesson).toMatch(/subtract the row max/);
  });

  it("a property failure is not blamed on a mistake that gets the case right", () => {
    const { report } = grade(REF.replace("    for (let i = 0; i < n; i++) out[r + i] /= sum;", "    for (let i = 0; i < n; i++) out[r + i] = out[r + i] / sum || 2e-7;"));
    expect(report.verdict).toBe("wrong_answer");
    expect(report.failure.kind).toBe("property");
    expect(report.failure.message).toMatch(/must give exactly 0/);
    expect(report.failure.mistake).toBeUndefined();
  });

  it("process.exit() in the learner's code is refused with a runtime error, and llmdrill lives on", () => {
    const { run, report } = grade(withSoftmax("  process.exit(0);\n  return x;"));
    expect(run.code).toBe(1);
    expect(report.verdict).toBe("runtime_error");
    expect(report.failure.message).toMatch(/process\.exit\(\) is not allowed/);
  });

  it("a multi-gigabyte allocation is a memory limit verdict", () => {
    const { report } = grade(withSoftmax("  const big = new Float32Array(2e9);\n  return { data: big, shape: [...x.shape] };"));
    expect(report.verdict).toBe("memory_limit_exceeded");
  });

  it("a heap that grows without bound is a memory limit verdict", () => {
    const { report } = grade(withSoftmax("  const keep: number[][] = [];\n  for (;;) keep.push(new Array(1e6).fill(1.5));"));
    expect(report.verdict).toBe("memory_limit_exceeded");
  }, 60_000);

  it("deep recursion is a runtime error that says stack overflow", () => {
    const { report } = grade(withSoftmax("  const f = (n: number): number => f(n + 1) + 1;\n  f(0);\n  return x;"));
    expect(report.verdict).toBe("runtime_error");
    expect(report.failure.kind).toBe("stack-overflow");
    expect(report.failure.message).toMatch(/stack overflow/);
  });

  it("a thrown string, null or plain object is described, not crashed on", () => {
    expect(grade(withSoftmax('  throw "oops";')).report.failure.message).toMatch(/a string was thrown: "oops"/);
    expect(grade(withSoftmax("  throw null;")).report.failure.message).toMatch(/null was thrown/);
    expect(grade(withSoftmax("  throw { code: 7 };")).report.failure.message).toMatch(/object that is not an Error was thrown: \{"code":7\}/);
  });

  it("a returned Proxy or a throwing getter is a runtime error about the result", () => {
    const proxy = grade(withSoftmax("  return new Proxy({ data: x.data, shape: x.shape }, {});")).report;
    expect(proxy.verdict).toBe("runtime_error");
    expect(proxy.failure.kind).toBe("unreadable-result");
    const getter = grade(withSoftmax('  return { get data(): Float32Array { throw new Error("nope"); }, shape: x.shape };')).report;
    expect(getter.verdict).toBe("runtime_error");
    expect(getter.failure.message).toMatch(/cannot be read: .*nope/);
  });

  it("a missing export names the function", () => {
    const { report } = grade(REF.replace("export function logSoftmax", "function logSoftmax"));
    expect(report.verdict).toBe("runtime_error");
    expect(report.failure.message).toBe("your file does not export a function named logSoftmax");
  });

  it("the reference passes and a seed replays the same random cases", () => {
    const a = grade(REF, ["--seed", "42"]).report;
    const b = grade(REF, ["--seed", "42"]).report;
    expect(a.verdict).toBe("accepted");
    expect(a.seed).toBe(42);
    expect(a.cases.map((c: any) => c.name)).toEqual(b.cases.map((c: any) => c.name));
    const c = grade(REF, ["--seed", "43"]).report;
    expect(c.cases.map((x: any) => x.name)).not.toEqual(a.cases.map((x: any) => x.name));
  });

  it("console output of the learner's code is shown, capped", () => {
    const { report } = grade(REF.replace("export function softmax(x: Tensor): Tensor {", 'export function softmax(x: Tensor): Tensor {\n  console.log("rows", x.shape[0]);'));
    expect(report.verdict).toBe("accepted");
    expect(report.stdout).toMatch(/rows 2/);
  });
});

describe("a drill that imports the learner's other files", () => {
  /** The softmax reference with its row maximum taken from ./lib. */
  const USES_LIB = `import { rowMax } from "./lib";\n` + withSoftmax(`  const n = x.shape[x.shape.length - 1];
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length; r += n) {
    const max = rowMax(x.data, r, n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += out[r + i] = Math.exp(x.data[r + i] - max);
    for (let i = 0; i < n; i++) out[r + i] /= sum;
  }
  return { data: out, shape: [...x.shape] };`);
  const lib = (start: string) =>
    `export function rowMax(d: Float32Array, r: number, n: number): number {\n  let m = ${start};\n  for (let i = 0; i < n; i++) m = Math.max(m, d[r + i]);\n  return m;\n}\n`;

  it("is bundled with them, and a change to an imported file alone is graded (no stale bundle)", () => {
    const libFile = join(ws, "drills", "lib.ts");
    writeFileSync(libFile, lib("-Infinity"));
    expect(grade(USES_LIB).report.verdict).toBe("accepted");

    writeFileSync(libFile, lib("0")); // only the import changes
    const wrong = submitJson(ws, "softmax").report;
    expect(wrong.verdict).toBe("wrong_answer");
    expect(wrong.failure.mistake?.id).toBe("max-starts-at-zero");

    writeFileSync(libFile, lib("-Infinity; let oops = ;"));
    const broken = submitJson(ws, "softmax").report;
    expect(broken.verdict).toBe("compile_error");
    expect(broken.failure.location.file).toBe(libFile); // the error is shown where it is
    expect(broken.failure.location.frame).toContain("let oops = ;");

    writeFileSync(libFile, lib("-Infinity"));
    expect(submitJson(ws, "softmax").report.verdict).toBe("accepted");
  });
});

describe("an input the contract names invalid", () => {
  const REF6 = readFileSync(join(import.meta.dirname, "..", "..", "modules", "006-embedding", "reference.ts"), "utf8");
  const THROW = "throw new Error(`embeddingForward: id ${id} at position ${p} is outside [0, ${V})`);";
  let ws6: string;
  beforeAll(() => {
    ws6 = tempWorkspace();
    expect(cli(ws6, ["start", "embedding", "--no-watch"]).code).toBe(0);
  });
  const gradeWith = (thrown: string) => {
    expect(REF6).toContain(THROW);
    writeFileSync(join(ws6, "drills", "006-embedding.ts"), REF6.replace(THROW, thrown));
    return submitJson(ws6, "embedding").report;
  };

  it("must be refused with an Error that has a message", () => {
    for (const [thrown, said] of [
      ["throw undefined;", /instead undefined was thrown/],
      ['throw "bad id";', /instead a string was thrown: "bad id"/],
      ["throw { id };", /instead an object that is not an Error was thrown/],
      ["throw new Error();", /instead Error was thrown with an empty message/],
      ["throw new Error(undefinedName);", /instead a ReferenceError was thrown .*a bug in the code/],
    ] as const) {
      const r = gradeWith(thrown);
      expect(r.verdict, thrown).toBe("wrong_answer");
      expect(r.failure.kind).toBe("expected-throw");
      expect(r.failure.case).toMatch(/is invalid: throw an Error/);
      expect(r.failure.message).toMatch(said);
    }
  });

  it("any Error with a message will do, a subclass too", () => {
    expect(gradeWith('throw new RangeError(`id ${id} out of range`);').verdict).toBe("accepted");
    expect(gradeWith(THROW).verdict).toBe("accepted");
  });
});

describe("an output that is an input's own array", () => {
  it("is a wrong answer that says so, even with the right values", () => {
    const ws1 = tempWorkspace();
    expect(cli(ws1, ["start", "tensor-shape", "--no-watch"]).code).toBe(0);
    const ref = readFileSync(join(import.meta.dirname, "..", "..", "modules", "001-tensor-shape", "reference.ts"), "utf8");
    const copy = "return { data: new Float32Array(x.data), shape: [B * T, D] };";
    expect(ref).toContain(copy);
    for (const view of ["x.data", "x.data.subarray(0)"]) {
      writeFileSync(join(ws1, "drills", "001-tensor-shape.ts"), ref.replace(copy, `return { data: ${view}, shape: [B * T, D] };`));
      const { report } = submitJson(ws1, "tensor-shape");
      expect(report.verdict).toBe("wrong_answer");
      expect(report.failure).toMatchObject({ kind: "aliased", fn: "flattenBatchTime", path: "data" });
      expect(report.failure.message).toMatch(/the output data is the input x's own array/);
      expect(report.failure.mistake).toBeUndefined();
    }
    writeFileSync(join(ws1, "drills", "001-tensor-shape.ts"), ref.replace(copy, "return { data: x.data.slice(), shape: [B * T, D] };"));
    expect(submitJson(ws1, "tensor-shape").report.verdict).toBe("accepted");
  });
});
