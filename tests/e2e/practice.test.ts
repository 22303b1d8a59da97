// weak, next and mock through the built CLI, in fresh workspaces with stdin closed (not a TTY).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, submitJson, tempWorkspace } from "../helpers/cli.ts";

const reference = (slug: string) => readFileSync(join(import.meta.dirname, "..", "..", "modules", slug, "reference.ts"), "utf8");
const json = (cwd: string, args: string[]) => {
  const r = cli(cwd, args);
  try {
    return { r, d: JSON.parse(r.stdout) };
  } catch {
    throw new Error(`${args.join(" ")} did not print JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
};

describe("weak and next on a short history", () => {
  const ws = tempWorkspace();
  it("a new learner: nothing weak, next is the first module, reach is P0", () => {
    expect(json(ws, ["weak", "--json"]).d.modules).toEqual([]);
    const { r, d } = json(ws, ["next", "--json"]);
    expect(r.code).toBe(0);
    expect(d.reach).toEqual(["P0"]);
    expect(d.next).toMatchObject({ kind: "new", number: 1, id: "tensor-shape" });
  });
  it("failed submissions and a hint rank softmax weakest; a clean timed pass is not weak", () => {
    expect(cli(ws, ["start", "softmax", "--no-watch"]).code).toBe(0);
    expect(submitJson(ws, "softmax").report.verdict).not.toBe("accepted");
    expect(submitJson(ws, "softmax").report.verdict).not.toBe("accepted");
    expect(cli(ws, ["hint", "softmax"]).code).toBe(0);
    expect(cli(ws, ["start", "mse-loss", "--no-watch"]).code).toBe(0);
    writeFileSync(join(ws, "drills", "011-mse-loss.ts"), reference("011-mse-loss"));
    const pass = submitJson(ws, "mse-loss");
    expect(pass.report.verdict).toBe("accepted");
    expect(pass.report.clock.review).toMatchObject({ rating: expect.stringMatching(/^(good|easy)$/) });

    const { d } = json(ws, ["weak", "--json"]);
    expect(d.modules.map((w: any) => w.id)).toEqual(["softmax", "mse-loss"]);
    const soft = d.modules[0];
    expect(soft.parts.map((p: any) => p.signal)).toEqual(["not-passed", "failures", "hints"]);
    expect(soft.parts[1].reason).toBe("2 failed submissions");
    expect(d.modules[1].score).toBe(0);
    const text = cli(ws, ["weak"]).stdout;
    expect(text).toMatch(/softmax.*not passed yet; 2 failed submissions; 1 hint used/);
    expect(text).not.toMatch(/mse-loss/);
  });
  it("next names the unfinished module; --list shows what is due and when", () => {
    expect(json(ws, ["next", "--json"]).d.next).toMatchObject({ id: "softmax", kind: "unfinished" });
    expect(cli(ws, ["next"]).stdout).toMatch(/^softmax .*not passed yet \(2 submissions\)\nllmdrill start softmax\n$/);
    const { d } = json(ws, ["next", "--list", "--json"]);
    expect(d.due.map((x: any) => x.id)).toEqual(["softmax"]);
    expect(d.upcoming).toHaveLength(1);
    expect(d.upcoming[0]).toMatchObject({ id: "mse-loss", kind: "review" });
    expect(Date.parse(d.upcoming[0].due)).toBeGreaterThan(Date.parse(d.now));
    expect(d.fresh.every((f: any) => f.tier === "P0")).toBe(true);
    const list = cli(ws, ["next", "--list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/Due now \(1\)[\s\S]*softmax[\s\S]*Coming up \(1\)[\s\S]*mse-loss\s+P0\s+in \d+d \(\d{4}-\d\d-\d\d\)/);
    expect(list.stdout).not.toMatch(/\x1b\[/);
  });
  it("progress shows a sparkline and keeps its JSON fields", () => {
    const { d } = json(ws, ["progress", "--json"]);
    const mse = d.modules.find((m: any) => m.id === "mse-loss");
    expect(mse).toMatchObject({ status: "passed", attempts: 1, sparkline: "▄", lastRating: expect.any(String), failedAttempts: 0 });
    expect(d.modules.find((m: any) => m.id === "softmax")).toMatchObject({ status: "attempted", failedAttempts: 2, hintsUsed: 1, sparkline: "" });
    expect(d.tiers[0]).toMatchObject({ tier: "P0", passed: 1, attempted: 1, percent: 7 });
    expect(d.totals).toMatchObject({ passed: 1, attempts: 3, failedAttempts: 2, timedPasses: 1, mocks: 0 });
    expect(cli(ws, ["progress"]).stdout).toMatch(/011\s+mse-loss\s+passed.*▄/);
  });
});

describe("mock interview", () => {
  it("one module solved with the reference fetched before the mock is accepted, the others not; not counted as practice", () => {
    const ws = tempWorkspace();
    const solution = cli(ws, ["solution", "softmax", "--force"]);
    expect(solution.code).toBe(0);

    const { r, d: m } = json(ws, ["mock", "softmax", "mse-loss", "kl", "--json"]);
    expect(r.code).toBe(0);
    expect(m.modules).toEqual(["008-softmax", "010-kl-divergence", "011-mse-loss"]);
    expect(m.minutes).toBe(45);
    expect(m.dir).toMatch(/^mock\//);
    for (const f of m.files) expect(existsSync(f)).toBe(true);
    expect(existsSync(join(ws, "drills", "008-softmax.ts"))).toBe(false);
    writeFileSync(join(ws, m.dir, "008-softmax.ts"), solution.stdout);

    for (const args of [["hint", "softmax"], ["solution", "softmax", "--force"], ["solution", "mse-loss"]]) {
      const no = cli(ws, args);
      expect(no.code).toBe(2);
      expect(no.stdout).toBe("");
      expect(no.stderr).toMatch(/^llmdrill: no (hint|solution) during a mock interview .*llmdrill mock --finish/);
      expect(no.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
    expect(cli(ws, ["mock"]).code).toBe(2);

    const fin = json(ws, ["mock", "--finish", "--json"]);
    expect(fin.r.code).toBe(1);
    expect(fin.d.results.map((x: any) => [x.slug, x.accepted])).toEqual([["008-softmax", true], ["010-kl-divergence", false], ["011-mse-loss", false]]);
    expect(fin.d.results[0]).toMatchObject({ verdict: "accepted", late: false, timeUsedMs: expect.any(Number) });
    expect(fin.d.results[1]).toMatchObject({ verdict: "runtime_error", timeUsedMs: null });
    expect(fin.d).toMatchObject({ accepted: 1, total: 3, endedBy: "finish" });

    const prog = json(ws, ["progress", "--json"]).d;
    expect(prog.modules.find((x: any) => x.id === "softmax")).toMatchObject({ attempts: 0, status: "new" });
    expect(prog.totals.mocks).toBe(1);
    expect(cli(ws, ["hint", "softmax"]).code).toBe(0);
    const again = cli(ws, ["mock", "--finish"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/no mock interview is running/);
  });
  it("a drawn mock: K modules from the tiers in reach, text brief without a TTY returns at once", () => {
    const ws = tempWorkspace();
    const { d } = json(ws, ["mock", "--count", "2", "--minutes", "30", "--json"]);
    expect(d.modules).toHaveLength(2);
    expect(d.modules.every((s: string) => Number(s.slice(0, 3)) <= 14)).toBe(true);
    expect(Date.parse(d.deadline) - Date.parse(d.startedAt)).toBe(30 * 60_000);
    const fin = cli(ws, ["mock", "--finish"]);
    expect(fin.code).toBe(1);
    expect(fin.stdout).toMatch(/0\/2 accepted/);
    const brief = cli(ws, ["mock", "--any-tier", "--count", "35"]);
    expect(brief.code).toBe(0);
    expect(brief.stdout).toMatch(/35 modules in 45 min[\s\S]*llmdrill mock --finish/);
    expect(brief.stdout).not.toMatch(/\x1b\[/);
  });
  it("an expired mock is graded at the next --finish; a file saved after the deadline does not count", () => {
    const ws = tempWorkspace();
    const ref = cli(ws, ["solution", "mse-loss", "--force"]).stdout;
    const m = json(ws, ["mock", "mse-loss", "--minutes", "5", "--json"]).d;
    // move the mock into the past instead of waiting for it
    const file = join(ws, ".llmdrill", "progress.json");
    const p = JSON.parse(readFileSync(file, "utf8"));
    p.mocks[0].startedAt = "2020-01-01T10:00:00.000Z";
    p.mocks[0].deadline = "2020-01-01T10:05:00.000Z";
    writeFileSync(file, JSON.stringify(p));
    writeFileSync(join(ws, m.dir, "011-mse-loss.ts"), ref);
    expect(cli(ws, ["hint", "mse-loss"]).stderr).toMatch(/time ran out at 10:05 UTC, not graded yet/);
    expect(cli(ws, ["mock"]).stderr).toMatch(/ran out of time and is not graded yet/);
    const fin = json(ws, ["mock", "--finish", "--json"]);
    expect(fin.r.code).toBe(1);
    expect(fin.d.endedBy).toBe("expired");
    expect(fin.d.usedMs).toBe(5 * 60_000);
    expect(fin.d.results[0]).toMatchObject({ slug: "011-mse-loss", verdict: "accepted", late: true, accepted: false, timeUsedMs: 5 * 60_000 });
  });
  const usage: [string, string[], RegExp][] = [
    ["--minutes 0", ["mock", "--minutes", "0"], /--minutes takes a whole number from 1 to 600/],
    ["--count abc", ["mock", "--count", "abc"], /--count takes a whole number/],
    ["--count beyond reach", ["mock", "--count", "20"], /more than the 14 modules in reach/],
    ["--finish with modules", ["mock", "--finish", "softmax"], /mock --finish takes no modules/],
    ["--finish with no mock", ["mock", "--finish"], /no mock interview is running/],
    ["an unknown module", ["mock", "sofmax"], /unknown module "sofmax"/],
  ];
  for (const [what, args, msg] of usage) {
    it(`usage: ${what} exits 2 with one line`, () => {
      const r = cli(tempWorkspace(), args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    });
  }
});
