// Hostile and broken solutions: every row gets its own verdict and a clear message; llmdrill never
// crashes, never lets the learner's code change how answers are computed, and never shows it them.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { ProgressStore, withLock } from "../../src/core/progress.ts";
import { BIN, cli, cliAsync, submitJson, tempWorkspace } from "../helpers/cli.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const REF = readFileSync(join(ROOT, "modules", "008-softmax", "reference.ts"), "utf8");
const withSoftmax = (body: string) => REF.replace(/export function softmax\(x: Tensor\): Tensor \{[\s\S]*?\n\}\n/, `export function softmax(x: Tensor): Tensor {\n${body}\n}\n`);

let ws: string;
beforeAll(() => {
  ws = tempWorkspace();
  expect(cli(ws, ["start", "softmax", "--no-watch"]).code).toBe(0);
});

function grade(source: string, mod = "softmax", slug = "008-softmax", extra: string[] = []) {
  writeFileSync(join(ws, "drills", `${slug}.ts`), source);
  const r = submitJson(ws, mod, extra);
  expect(r.run.stderr).toBe("");
  return r.report;
}

describe("the learner's code cannot take the grader down", () => {
  it("process.kill on the grader's own pid is refused", () => {
    const r = grade(withSoftmax("  process.kill(process.pid, 'SIGKILL');\n  return x;"));
    expect(r.verdict).toBe("runtime_error");
    expect(r.failure.kind).toBe("forbidden");
    expect(r.failure.message).toMatch(/process\.kill\(\) is not allowed/);
  });
  it("process.abort is refused", () => {
    const r = grade(withSoftmax("  process.abort();\n  return x;"));
    expect(r.failure.message).toMatch(/process\.abort\(\) is not allowed/);
  });
  it("process.exit at the top level of the file is refused while loading", () => {
    const r = grade(REF + "\nprocess.exit(3);\n");
    expect(r.verdict).toBe("runtime_error");
    expect(r.failure.case).toBe("(loading the file)");
    expect(r.failure.message).toMatch(/process\.exit\(\) is not allowed/);
  });
});

describe("memory", () => {
  it("many typed arrays, each under the per-allocation cap, filled: a memory verdict from the process watch", () => {
    const r = grade(withSoftmax("  const keep: Float64Array[] = [];\n  for (;;) keep.push(new Float64Array(2 ** 24).fill(1));"));
    expect(r.verdict).toBe("memory_limit_exceeded");
    expect(r.failure.message).toMatch(/memory grew by \d+ MiB \(limit 512 MiB\)/);
  });
});

describe("returned values of the wrong kind", () => {
  it("a plain array instead of a tensor", () => {
    const r = grade(withSoftmax("  return Array.from(x.data) as any;"));
    expect(r.failure).toMatchObject({ kind: "type", message: "output should be a Tensor { data: Float32Array, shape }, got Array" });
  });
  it("data of the wrong length for its shape", () => {
    const r = grade(withSoftmax("  return { data: new Float32Array(x.data.length - 1), shape: [...x.shape] };"));
    expect(r.failure).toMatchObject({ kind: "shape", message: "output.data has 5 values but shape [2,3] holds 6" });
  });
  it("a missing field of an object output", () => {
    const lnRef = readFileSync(join(ROOT, "modules", "014-layernorm", "reference.ts"), "utf8");
    cli(ws, ["start", "layernorm", "--no-watch"]);
    const src = lnRef.replace("    dgamma: { data: Float32Array.from(dgamma), shape: [d] },\n", "");
    const r = grade(src.replace("{ dx: Tensor; dgamma: Tensor; dbeta: Tensor }", "any"), "layernorm", "014-layernorm");
    expect(r.verdict).toBe("wrong_answer");
    expect(r.failure).toMatchObject({ kind: "type", path: "dgamma", message: 'output is missing the field "dgamma"' });
  });
  it("Infinity where the answer is finite", () => {
    const r = grade(withSoftmax("  return { data: new Float32Array(x.data.length).fill(Infinity), shape: [...x.shape] };"));
    expect(r.failure.kind).toBe("nonfinite");
    expect(r.failure.message).toMatch(/6 infinite values out of 6/);
  });
  it("nothing returned", () => {
    const r = grade(withSoftmax("  void x;"));
    expect(r.failure).toMatchObject({ kind: "type", message: "output should be a Tensor { data: Float32Array, shape }, got undefined" });
  });
});

describe("tampering with built-ins changes nothing outside the learner's worker", () => {
  const tamper = [
    "Math.exp = () => 1;",
    "Math.max = () => 0;",
    "Array.prototype.map = function () { return []; } as any;",
    "Array.prototype.every = () => true;",
    "Float32Array.prototype.fill = function () { return this; } as any;",
    "Object.is = () => true;",
    "JSON.stringify = () => '{}';",
  ].join("\n");

  it("a correct answer computed before the tampering is still accepted", () => {
    const src = REF.replace("export function softmax(x: Tensor): Tensor {", "const realExp = Math.exp, realMax = Math.max;\nexport function softmax(x: Tensor): Tensor {")
      .replace(/Math\.exp\(/g, "realExp(").replace(/Math\.max\(/g, "realMax(").replace("const realExp = realExp, realMax = realMax;", "const realExp = Math.exp, realMax = Math.max;");
    const r = grade(src + "\n" + tamper + "\n");
    expect(r.verdict).toBe("accepted");
  });

  it("a wrong answer is still judged against the true softmax", () => {
    const r = grade(REF + "\n" + tamper + "\n");
    expect(r.verdict).toBe("wrong_answer");
    expect(r.failure.case).toBe("worked example: two rows of three logits");
    const want = r.failure.mismatches.map((m: any) => m.want);
    expect(want[0]).toBeCloseTo(Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 6);
  });
});

describe("no peeking", () => {
  it("a solution that hard-codes every fixture output passes the fixtures and fails the random cases", () => {
    const fx = JSON.parse(readFileSync(join(ROOT, "fixtures", "008-softmax.json"), "utf8"));
    const table: Record<string, Record<string, unknown>> = {};
    for (const c of fx.cases) {
      const key = JSON.stringify(c.inputs[c.call[0]].data);
      (table[c.function] ??= {})[key] = c.expected;
    }
    const fn = (name: string, arg: string) =>
      `export function ${name}(${arg}: Tensor, _b?: Tensor): Tensor {\n  const e = (TABLE as any)[${JSON.stringify(name)}][JSON.stringify(Array.from(${arg}.data, (v) => Number.isFinite(v) ? v : String(v)))];\n` +
      `  if (!e) return { data: new Float32Array(${arg}.data.length), shape: [...${arg}.shape] };\n  return { data: Float32Array.from(e.data, (v: any) => Number(v)), shape: e.shape };\n}\n`;
    const src = `const TABLE = ${JSON.stringify(table)};\n${fn("softmax", "x")}${fn("logSoftmax", "x")}${fn("softmaxBackward", "y")}`;
    const r = grade(src);
    expect(r.verdict).toBe("wrong_answer");
    expect(r.failure.source).toBe("random");
    const fixtures = r.cases.filter((c: any) => c.source === "fixture");
    expect(fixtures.every((c: any) => c.status === "passed")).toBe(true);
  });
});

describe("progress is never lost", () => {
  it("twenty submissions at once record twenty attempts", async () => {
    const w = tempWorkspace();
    cli(w, ["start", "softmax", "--no-watch"]);
    writeFileSync(join(w, "drills", "008-softmax.ts"), REF);
    const runs = await Promise.all(Array.from({ length: 20 }, () => cliAsync(w, ["submit", "softmax"])));
    // twenty graders on two cores may run out of wall time (an honest time-limit verdict, exit 1);
    // what must hold is that none fails as llmdrill (exit 2 or 70) and every attempt is recorded
    for (const r of runs) expect([0, 1], r.stderr).toContain(r.code);
    const p = JSON.parse(cli(w, ["progress", "--json"]).stdout).modules.find((m: any) => m.id === "softmax");
    expect(p.attempts).toBe(20);
    expect(p.passes).toBe(runs.filter((r) => r.code === 0).length);
  }, 120_000);

  it("a writer killed with SIGKILL in a tight write loop leaves a readable file and no stuck lock", async () => {
    const w = tempWorkspace();
    // a writer process that rewrites a large progress file as fast as it can (each write: temp file,
    // fsync, rename, under the lock), killed at random moments
    const entry = join(w, "writer.ts");
    writeFileSync(entry, [
      `import { ProgressStore, recordAttempt } from ${JSON.stringify(join(ROOT, "src", "core", "progress.ts"))};`,
      `const s = new ProgressStore(${JSON.stringify(join(w, ".llmdrill"))});`,
      `for (let i = 0; ; i++) s.update((d, now) => { for (let m = 0; m < 40; m++) recordAttempt(ProgressStore.entry(d, "m" + m), "wrong_answer", now, i); });`,
    ].join("\n"));
    await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile: join(w, "writer.mjs"), logLevel: "silent" });
    const store = new ProgressStore(join(w, ".llmdrill"));
    let last = 0;
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, [join(w, "writer.mjs")], { stdio: "ignore" });
      const closed = new Promise((r) => child.on("close", r));
      await new Promise((r) => setTimeout(r, 150 + 37 * round));
      child.kill("SIGKILL");
      await closed;
      const data = store.read(); // parses, or moves a bad file aside with a warning
      expect(store.warnings).toEqual([]);
      const attempts = data.modules.m0?.attempts ?? 0;
      expect(attempts).toBeGreaterThanOrEqual(last); // nothing already written is lost
      last = attempts;
      // the dead writer's lock is taken over at once: with staleness out of play (1e9 ms), a lock that
      // were waited out would make withLock give up after 3 s and throw
      expect(() => withLock(join(w, ".llmdrill", "progress.lock"), () => undefined, 3000, 1e9)).not.toThrow();
    }
    expect(last).toBeGreaterThan(0);
  }, 120_000);

  it("the CLI killed with SIGKILL mid-command leaves a readable file and no stuck lock", async () => {
    const w = tempWorkspace();
    cli(w, ["start", "softmax", "--no-watch"]);
    for (let round = 0; round < 6; round++) {
      // kill the CLI itself in the middle of its work, many times
      const child = spawn(process.execPath, [BIN, "hint", "softmax"], { cwd: w, stdio: "ignore", env: { ...process.env, LLMDRILL_WORKSPACE: w } });
      const closed = new Promise((r) => child.on("close", r));
      await new Promise((r) => setTimeout(r, 30 + 15 * round));
      child.kill("SIGKILL");
      await closed;
      const text = readFileSync(join(w, ".llmdrill", "progress.json"), "utf8");
      expect(() => JSON.parse(text)).not.toThrow();
      expect(() => withLock(join(w, ".llmdrill", "progress.lock"), () => undefined, 3000, 1e9)).not.toThrow();
      const after = cli(w, ["hint", "softmax"]);
      expect(after.code).toBe(0);
    }
  }, 120_000);
});

describe("fixture integrity", () => {
  it("an edited or missing fixture is reported with the command that regenerates it", () => {
    // a copy of the built package, so the real fixtures are never touched
    const pkg = tempWorkspace();
    for (const d of ["bin", "dist", "modules", "templates", "fixtures", "types"]) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(pkg, "package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
    const w = tempWorkspace();
    mkdirSync(join(w, "drills"));
    writeFileSync(join(w, "drills", "008-softmax.ts"), REF);
    const bin = join(pkg, "bin", "llmdrill.js");
    const run = (args: string[]) => {
      const r = require("node:child_process").spawnSync(process.execPath, [bin, ...args], { cwd: w, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
      return { code: r.status as number, stderr: r.stderr as string };
    };
    expect(run(["submit", "softmax"]).code).toBe(0);
    const f = join(pkg, "fixtures", "008-softmax.json");
    writeFileSync(f, readFileSync(f, "utf8").replace("0.09003057330846786", "0.09"));
    let r = run(["submit", "softmax"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/008-softmax\.json does not match its checksum .*regenerate it with `npm run fixtures`/);
    require("node:fs").rmSync(f);
    r = run(["submit", "softmax"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is missing; regenerate it with `npm run fixtures`/);
  });
});

describe("internal errors", () => {
  it("end in one line that says how to report them; --debug adds the trace", () => {
    const r = cli(tempWorkspace(), ["list"], { LLMDRILL_TEST_INTERNAL_ERROR: "1" });
    expect(r.code).toBe(70);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^llmdrill: internal error: simulated internal error .*run the command again with --debug.* bug report/);
    const d = cli(tempWorkspace(), ["list", "--debug"], { LLMDRILL_TEST_INTERNAL_ERROR: "1" });
    expect(d.code).toBe(70);
    expect(d.stderr).toMatch(/\n\s+at /);
  });
  it("a seed that is negative or fractional is a usage error", () => {
    for (const s of ["-1", "1.5", "1e3"]) expect(cli(tempWorkspace(), ["submit", "softmax", "--seed", s]).code).toBe(2);
  });
});
