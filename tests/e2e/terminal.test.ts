// The terminal contract. In a pseudo-terminal (tmux): watch mode grades every save in place, stops the
// clock at the first pass and records it, quits on q; the pickers; NO_COLOR. Without one: nothing
// waits for input and no escape code is printed.
import { spawn } from "node:child_process";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, cli, tempWorkspace } from "../helpers/cli.ts";
import { Tmux } from "../helpers/tmux.ts";

const REF = readFileSync(join(import.meta.dirname, "..", "..", "modules", "008-softmax", "reference.ts"), "utf8");
/** Softmax with its max started at 0: the known mistake max-starts-at-zero. */
const WRONG = REF.replace("let max = -Infinity;", "let max = 0;");
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const llmdrill = `${sh(process.execPath)} ${sh(BIN)}`;
const progressOf = (ws: string, id: string) => JSON.parse(cli(ws, ["progress", "--json"]).stdout).modules.find((m: any) => m.id === id);
/** The footer row of watch mode: the clock and the keys. */
const footer = (screen: string) => screen.split("\n").filter((l) => /q quit/.test(l)).pop() ?? "";

describe("watch mode in a terminal", () => {
  let t: Tmux | undefined;
  afterEach(() => t?.kill());

  const cases: [string, string][] = [
    ["file events", ""],
    ["polling alone (file systems without reliable events)", "LLMDRILL_WATCH=poll "],
  ];
  for (const [what, env] of cases) {
    it(`grades each save in place, stops the clock at the first pass, records it, quits on q: ${what}`, async () => {
      const ws = tempWorkspace();
      const file = join(ws, "drills", "008-softmax.ts");
      t = new Tmux();
      t.start(ws, `NO_COLOR=1 ${env}${llmdrill} start softmax`);
      let s = await t.waitFor(/Watching drills\/008-softmax\.ts/);
      expect(footer(s)).toMatch(/clock 0:\d\d \/ target 12 min/);

      t.keys("h");
      await t.waitFor(/Hint 1\/3 \(nudge\)/);

      writeFileSync(file, WRONG); // a save in place
      s = await t.waitFor(/submission 1 .*\n✗ Wrong answer/);
      expect(s).toMatch(/Known mistake: /);
      expect(footer(s)).toMatch(/clock 0:\d\d/);

      writeFileSync(`${file}.tmp`, REF); // a save by rename, as vim and VS Code do
      renameSync(`${file}.tmp`, file);
      s = await t.waitFor(/submission 2 .*\n✓ Accepted/);
      expect(s).not.toMatch(/Wrong answer/); // the verdict was redrawn in place
      expect(s).toMatch(/Hint 1\/3 \(nudge\)/); // text printed above the verdict stays
      expect(footer(s)).toMatch(/✓ passed in 0:\d\d \(clock stopped\)/);

      const p = progressOf(ws, "softmax");
      expect(p).toMatchObject({ attempts: 2, passes: 1, hintsUsed: 1, lastVerdict: "accepted", clockRunningSince: null });
      expect(p.times).toHaveLength(1);
      expect(p.bestMs).toBe(p.times[0]);
      expect(s).toContain(`passed in 0:${String(Math.round(p.times[0] / 1000)).padStart(2, "0")}`);

      // the clock stays stopped: the footer no longer changes
      await new Promise((r) => setTimeout(r, 1500));
      expect(footer(t.screen())).toBe(footer(s));

      t.keys("q");
      s = await t.waitFor(/\[exit 0\]/);
      expect(s).not.toMatch(/clock keeps running/);
    }, 60_000);
  }

  it("q leaves the clock running; start resumes it", async () => {
    const ws = tempWorkspace();
    t = new Tmux();
    t.start(ws, `NO_COLOR=1 ${llmdrill} start softmax`);
    await t.waitFor(/Watching drills\/008-softmax\.ts/);
    t.keys("q");
    const s = await t.waitFor(/\[exit 0\]/);
    expect(s).toMatch(/The clock keeps running \(0:\d\d so far\) until your next pass/);
    expect(progressOf(ws, "softmax").clockRunningSince).not.toBeNull();
    expect(cli(ws, ["start", "softmax", "--no-watch"]).stdout).toMatch(/Clock resumed: 0:\d\d so far/);
  }, 60_000);

  for (const [what, env] of cases) {
    it(`re-grades when a file the drill imports is saved: ${what}`, async () => {
      const ws = tempWorkspace();
      cli(ws, ["start", "softmax", "--no-watch"]);
      const lib = join(ws, "drills", "lib.ts");
      const rowMax = (start: string) => `export const rowMax = (d: Float32Array, r: number, n: number) => {\n  let m = ${start};\n  for (let i = 0; i < n; i++) m = Math.max(m, d[r + i]);\n  return m;\n};\n`;
      writeFileSync(lib, rowMax("0"));
      writeFileSync(join(ws, "drills", "008-softmax.ts"), `import { rowMax } from "./lib";\n` + REF.replace(/let max = -Infinity;\n\s*for \(let i = 0; i < n; i\+\+\) max = Math.max\(max, x.data\[r \+ i\]\);/, "const max = rowMax(x.data, r, n);"));
      t = new Tmux();
      t.start(ws, `NO_COLOR=1 ${env}${llmdrill} start softmax`);
      await t.waitFor(/Watching drills\/008-softmax\.ts/);
      t.keys("Enter");
      let s = await t.waitFor(/submission 1 .*\n✗ Wrong answer/);
      expect(s).toMatch(/Known mistake: /);

      writeFileSync(`${lib}.tmp`, rowMax("-Infinity")); // only the imported file is saved
      renameSync(`${lib}.tmp`, lib);
      s = await t.waitFor(/submission 2 .*\n✓ Accepted/);
      expect(footer(s)).toMatch(/✓ passed in 0:\d\d \(clock stopped\)/);
      t.keys("q");
      await t.waitFor(/\[exit 0\]/);
      expect(progressOf(ws, "softmax")).toMatchObject({ attempts: 2, passes: 1 });
    }, 60_000);
  }

  it("enter grades the file as it is (an edited file from an earlier session)", async () => {
    const ws = tempWorkspace();
    cli(ws, ["start", "softmax", "--no-watch"]);
    writeFileSync(join(ws, "drills", "008-softmax.ts"), REF);
    t = new Tmux();
    t.start(ws, `NO_COLOR=1 ${llmdrill} start softmax`);
    await t.waitFor(/Watching drills\/008-softmax\.ts/);
    t.keys("Enter");
    await t.waitFor(/submission 1 .*\n✓ Accepted/);
    t.keys("q");
    await t.waitFor(/\[exit 0\]/);
    expect(progressOf(ws, "softmax")).toMatchObject({ attempts: 1, passes: 1 });
  }, 60_000);
});

describe("mock interview in a terminal", () => {
  let t: Tmux | undefined;
  afterEach(() => t?.kill());
  const mockDir = (ws: string) => join(ws, JSON.parse(readFileSync(join(ws, ".llmdrill", "progress.json"), "utf8")).mocks[0].dir);

  it("counts down; Enter grades now, and the result is recorded as a mock", async () => {
    const ws = tempWorkspace();
    t = new Tmux();
    t.start(ws, `NO_COLOR=1 ${llmdrill} mock softmax mse-loss --minutes 5`);
    const s = await t.waitFor(/4:5\d left · Enter grades now · Ctrl-C leaves it running/);
    expect(s).toMatch(/Mock interview .*: 2 modules in 5 min/);
    const first = s.match(/(\d:\d\d) left/)![1]!;
    await t.waitFor(new RegExp(`(?!${first})\\d:\\d\\d left`), 5000); // the countdown ticks
    writeFileSync(join(mockDir(ws), "008-softmax.ts"), REF);
    t.keys("Enter");
    const done = await t.waitFor(/\[exit 1\]/);
    expect(done).toMatch(/Mock .*: 1\/2 accepted/);
    expect(done).toMatch(/✓ 008-softmax +accepted/);
    expect(done).toMatch(/✗ 011-mse-loss +wrong answer|✗ 011-mse-loss +runtime error/);
    const p = JSON.parse(cli(ws, ["progress", "--json"]).stdout);
    expect(p.totals.mocks).toBe(1);
    expect(p.modules.find((m: any) => m.id === "softmax").attempts).toBe(0); // not practice
  }, 60_000);

  it("Ctrl-C leaves the mock running, and --finish grades it later", async () => {
    const ws = tempWorkspace();
    t = new Tmux();
    t.start(ws, `NO_COLOR=1 ${llmdrill} mock softmax --minutes 5`);
    await t.waitFor(/left · Enter grades now/);
    t.keys("C-c");
    const s = await t.waitFor(/\[exit 130\]/);
    expect(s).toMatch(/The mock keeps running; `llmdrill mock --finish` grades it\./);
    writeFileSync(join(mockDir(ws), "008-softmax.ts"), REF);
    const fin = cli(ws, ["mock", "--finish"]);
    expect(fin.code).toBe(0);
    expect(fin.stdout).toMatch(/1\/1 accepted/);
  }, 60_000);
});

describe("pickers and colour in a terminal", () => {
  let t: Tmux | undefined;
  afterEach(() => t?.kill());

  it("hint without a module opens a picker with tier and status beside each name", async () => {
    const ws = tempWorkspace();
    t = new Tmux();
    t.start(ws, `NO_COLOR=1 ${llmdrill} hint`);
    const s = await t.waitFor(/A hint for which module\?/);
    expect(s).toMatch(/001 {2}tensor-shape +P0 {2}new/);
    t.keys("Down", "Down", "Enter");
    await t.waitFor(/\[exit 0\]/);
    expect(t.screen()).toMatch(/Hint 1\/3 \(nudge\)/);
    expect(progressOf(ws, "linear-regression").hintsUsed).toBe(1);
  }, 60_000);

  it("show without a module picks one and renders its README (headings, tables, code)", async () => {
    const ws = tempWorkspace();
    t = new Tmux();
    t.start(ws, `NO_COLOR=1 PAGER=cat ${llmdrill} show`);
    await t.waitFor(/Which module's README\?/);
    for (let i = 0; i < 7; i++) t.keys("Down");
    t.keys("Enter");
    await t.waitFor(/\[exit 0\]/);
    const s = t.screen({ history: true });
    expect(s).toMatch(/^008 Softmax, log-softmax and the softmax backward pass\n={54}$/m); // headings, underlined without colour
    expect(s).toMatch(/^Pitfalls\n-{8}$/m);
    expect(s).toMatch(/^ {2}argument \/ output +│ {2}shape +│ {2}notes$/m); // a table, aligned
    expect(s).toMatch(/^ {4}softmax\(x\)_i {4}= exp\(x_i - m\)/m); // a formula, as text in a code block
    expect(s).not.toMatch(/^#+ |\*\*Shift invariance/m);
  }, 60_000);

  it("NO_COLOR turns colour off on a terminal; without it the same command is coloured", async () => {
    const ws = tempWorkspace();
    t = new Tmux();
    t.start(ws, `NO_COLOR=1 ${llmdrill} list; echo "[plain run done]"; ${llmdrill} list`);
    await t.waitFor(/\[exit 0\]/);
    const screen = t.screen({ escapes: true, history: true });
    const [plain, coloured] = screen.split("[plain run done]");
    expect(plain).toMatch(/#\s+id\s+tier\s+title/);
    expect(plain).not.toMatch(/\x1b/);
    expect(coloured).toMatch(/\x1b\[[0-9;]*m/); // the same command, coloured: the check can see colour
  }, 60_000);
});

/** Runs the CLI with stdin a pipe that is never written or closed; resolves when it exits or after timeoutMs. */
function withOpenStdin(cwd: string, args: string[], timeoutMs = 20_000): Promise<{ code: number | null; hung: boolean; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ["NO_COLOR", "FORCE_COLOR", "LLMDRILL_WORKSPACE"]) delete env[k];
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "", stderr = "", hung = false;
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      hung = true;
      p.kill("SIGKILL");
    }, timeoutMs);
    p.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, hung, stdout, stderr });
    });
  });
}

describe("without a terminal nothing waits for input", () => {
  const setups: Record<string, (ws: string) => void> = {
    fresh: () => {},
    edited: (ws) => {
      cli(ws, ["start", "softmax", "--no-watch"]);
      writeFileSync(join(ws, "drills", "008-softmax.ts"), "// my work\n" + WRONG);
    },
    passed: (ws) => {
      cli(ws, ["start", "softmax", "--no-watch"]);
      writeFileSync(join(ws, "drills", "008-softmax.ts"), REF);
      cli(ws, ["submit", "softmax"]);
    },
  };
  const cases: [string, keyof typeof setups, string[], number, RegExp][] = [
    ["start (watch mode on a terminal) returns at once", "fresh", ["start", "softmax"], 0, /Clock started\./],
    ["start with an edited file and no --force", "edited", ["start", "softmax"], 0, /has your edits; kept it/],
    ["start after a pass (the new-run question)", "passed", ["start", "softmax"], 0, /holds your passing solution; it was kept/],
    ["the start picker", "fresh", ["start"], 2, /^llmdrill: missing required argument 'module': `llmdrill start <module>`/],
    ["the show picker", "fresh", ["show"], 2, /^llmdrill: missing required argument 'module': `llmdrill show <module>`/],
    ["the hint picker", "fresh", ["hint"], 2, /^llmdrill: missing required argument 'module': `llmdrill hint <module>`/],
  ];
  for (const [what, setup, args, code, msg] of cases) {
    it(what, async () => {
      const ws = tempWorkspace();
      setups[setup]!(ws);
      const r = await withOpenStdin(ws, args);
      expect(r.hung).toBe(false);
      expect(r.code).toBe(code);
      expect(code === 0 ? r.stdout : r.stderr).toMatch(msg);
      if (code === 2) expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stdout + r.stderr).not.toMatch(/Watching|\x1b\[/);
    });
  }
});

describe("no escape codes without a terminal or with NO_COLOR", () => {
  const ws = tempWorkspace();
  const file = join(ws, "drills", "008-softmax.ts");
  const runs: [string, string[], (() => void)?][] = [
    ["start", ["start", "softmax", "--no-watch"]],
    ["list", ["list"]],
    ["show", ["show", "softmax"]],
    ["hint", ["hint", "softmax"]],
    ["submit, wrong answer", ["submit", "softmax"], () => writeFileSync(file, WRONG)],
    ["submit, compile error", ["submit", "softmax"], () => writeFileSync(file, REF.replace("let sum = 0;", "let sum = ;"))],
    ["submit, accepted", ["submit", "softmax"], () => writeFileSync(file, REF)],
    ["progress", ["progress"]],
    ["solution", ["solution", "softmax"]],
    ["a usage error", ["submit", "softmx"]],
  ];
  const envs: [string, NodeJS.ProcessEnv][] = [
    ["stdout not a terminal", { NO_COLOR: undefined, FORCE_COLOR: undefined }],
    ["NO_COLOR even with FORCE_COLOR", { NO_COLOR: "1", FORCE_COLOR: "3" }],
  ];
  for (const [envName, env] of envs) {
    for (const [what, args, before] of runs) {
      it(`${envName}: ${what}`, () => {
        before?.();
        const r = cli(ws, args, env);
        expect(r.stdout.length + r.stderr.length).toBeGreaterThan(0);
        expect(r.stdout).not.toMatch(/\x1b/);
        expect(r.stderr).not.toMatch(/\x1b/);
      });
    }
  }
});
