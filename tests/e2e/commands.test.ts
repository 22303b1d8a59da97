// The command-line contract: names, flags, exit codes, workspace rules, progress and its safety.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, cli, cliAsync, submitJson, tempWorkspace } from "../helpers/cli.ts";

const REF = readFileSync(join(import.meta.dirname, "..", "..", "modules", "008-softmax", "reference.ts"), "utf8");

describe("usage errors exit 2 with one line and no stack trace", () => {
  const ws = tempWorkspace();
  const cases: [string, string[], RegExp][] = [
    ["unknown module with a suggestion", ["submit", "softmx"], /unknown module "softmx"; did you mean "softmax"\?/],
    ["unknown module without a close match", ["start", "zzzzzzzzzz", "--no-watch"], /unknown module "zzzzzzzzzz" \(run `llmdrill list`/],
    ["unknown command", ["sumbit", "softmax"], /unknown command 'sumbit'/],
    ["unknown flag", ["submit", "softmax", "--sede", "3"], /unknown option '--sede'/],
    ["seed that is not a number", ["submit", "softmax", "--seed", "abc"], /--seed takes a whole number/],
    ["missing drill file", ["submit", "softmax"], /no file at .*008-softmax\.ts; run `llmdrill start softmax` first/],
    ["--file that does not exist", ["submit", "softmax", "--file", "nope.ts"], /no file at .*nope\.ts/],
    ["--file that is a directory", ["submit", "softmax", "--file", "."], /is a directory/],
    ["solution before passing", ["solution", "softmax"], /opens after you pass it/],
    ["a missing module argument", ["hint"], /missing required argument 'module'/],
  ];
  for (const [what, args, msg] of cases) {
    it(what, () => {
      const r = cli(ws, args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
    });
  }
  it("an empty or non-UTF-8 --file", () => {
    writeFileSync(join(ws, "empty.ts"), "");
    writeFileSync(join(ws, "latin1.ts"), Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0xff, 0x0a]));
    expect(cli(ws, ["submit", "softmax", "--file", "empty.ts"]).stderr).toMatch(/is empty/);
    const r = cli(ws, ["submit", "softmax", "--file", "latin1.ts"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not UTF-8 text/);
  });
});

describe("modules resolve by number, id and alias", () => {
  const ws = tempWorkspace();
  for (const name of ["17", "017", "scaled-dot-product-attention", "attention", "sdpa", "017-scaled-dot-product-attention"]) {
    it(name, () => {
      const r = cli(ws, ["show", name]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readFileSync(join(import.meta.dirname, "..", "..", "modules", "017-scaled-dot-product-attention", "README.md"), "utf8") + "\n");
    });
  }
});

describe("output to a pipe that closes early (llmdrill progress | head)", () => {
  for (const args of [["list"], ["progress"], ["show", "softmax"]]) {
    it(args.join(" "), async () => {
      const { spawn } = await import("node:child_process");
      const p = spawn(process.execPath, [BIN, ...args], { cwd: tempWorkspace(), stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
      let stderr = "";
      p.stderr.on("data", (d) => (stderr += d));
      p.stdout.once("data", () => p.stdout.destroy()); // read one chunk, then hang up
      const code = await new Promise((r) => p.on("close", r));
      expect(stderr).toBe("");
      expect(code).toBe(0);
    });
  }
});

describe("list, help", () => {
  it("--help lists the commands and exits 0", () => {
    const r = cli(tempWorkspace(), ["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["list", "start", "submit|check", "progress", "show", "hint", "solution", "reset"]) expect(r.stdout).toContain(c);
  });
  it("list --json gives the modules in curriculum order with status", () => {
    const rows = JSON.parse(cli(tempWorkspace(), ["list", "--json"]).stdout);
    const nums = rows.map((r: any) => r.number);
    expect(nums).toEqual([...nums].sort((a: number, b: number) => a - b));
    expect(rows.find((r: any) => r.id === "softmax")).toMatchObject({ tier: "P0", status: "new", bestMs: null });
  });
});

describe("the workspace", () => {
  it("is the nearest ancestor with llmdrill.json; LLMDRILL_WORKSPACE overrides", () => {
    const ws = tempWorkspace();
    expect(cli(ws, ["start", "softmax", "--no-watch"]).code).toBe(0);
    expect(existsSync(join(ws, "llmdrill.json"))).toBe(true);
    const sub = join(ws, "a", "b");
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(ws, "drills", "008-softmax.ts"), REF);
    expect(submitJson(sub, "softmax").report.verdict).toBe("accepted");
    const other = tempWorkspace();
    const r = cli(other, ["submit", "softmax"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(other, "drills", "008-softmax.ts"));
  });
  it("LLMDRILL_WORKSPACE points elsewhere", () => {
    const ws = tempWorkspace();
    const elsewhere = tempWorkspace();
    expect(cli(elsewhere, ["start", "softmax", "--no-watch"], { LLMDRILL_WORKSPACE: ws }).code).toBe(0);
    expect(existsSync(join(ws, "drills", "008-softmax.ts"))).toBe(true);
    expect(existsSync(join(elsewhere, "drills"))).toBe(false);
  });
});

describe("start never loses an edited file", () => {
  it("keeps edits without --force, backs them up with --force", () => {
    const ws = tempWorkspace();
    cli(ws, ["start", "softmax", "--no-watch"]);
    const file = join(ws, "drills", "008-softmax.ts");
    writeFileSync(file, "// my work in progress\n" + readFileSync(file, "utf8"));
    const again = cli(ws, ["start", "softmax", "--no-watch"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/has your edits; kept it/);
    expect(again.stdout).toMatch(/Clock resumed/);
    expect(readFileSync(file, "utf8")).toMatch(/my work in progress/);
    const forced = cli(ws, ["start", "softmax", "--force", "--no-watch"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, "utf8")).not.toMatch(/my work in progress/);
    const backups = readdirSync(join(ws, ".llmdrill", "backups"));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(ws, ".llmdrill", "backups", backups[0]!), "utf8")).toMatch(/my work in progress/);
  });
  it("after a pass, start keeps the passing file and starts no clock unless --force", () => {
    const ws = tempWorkspace();
    cli(ws, ["start", "softmax", "--no-watch"]);
    writeFileSync(join(ws, "drills", "008-softmax.ts"), REF);
    expect(submitJson(ws, "softmax").report.verdict).toBe("accepted");
    const r = cli(ws, ["start", "softmax", "--no-watch"]);
    expect(r.stdout).toMatch(/holds your passing solution; it was kept and no clock was started/);
    const p = JSON.parse(cli(ws, ["progress", "--json"]).stdout).modules.find((m: any) => m.id === "softmax");
    expect(p.clockRunningSince).toBeNull();
    expect(p.times).toHaveLength(1);
  });
  it("reset puts the blank back, saves the file and stops the clock", () => {
    const ws = tempWorkspace();
    cli(ws, ["start", "softmax", "--no-watch"]);
    writeFileSync(join(ws, "drills", "008-softmax.ts"), REF);
    const r = cli(ws, ["reset", "softmax"]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(ws, "drills", "008-softmax.ts"), "utf8")).toContain("TODO");
    expect(readdirSync(join(ws, ".llmdrill", "backups"))).toHaveLength(1);
    expect(JSON.parse(cli(ws, ["progress", "--json"]).stdout).modules.find((m: any) => m.id === "softmax").clockRunningSince).toBeNull();
  });
});

describe("hints and solutions", () => {
  it("hint reveals the next of three levels and records it", () => {
    const ws = tempWorkspace();
    const h1 = cli(ws, ["hint", "softmax"]);
    expect(h1.stdout).toMatch(/Hint 1\/3 \(nudge\)/);
    expect(h1.stdout).not.toMatch(/Hint 2\/3/);
    cli(ws, ["hint", "softmax"]);
    const h3 = cli(ws, ["hint", "softmax"]);
    expect(h3.stdout).toMatch(/Hint 3\/3 \(pseudo-code\)/);
    expect(cli(ws, ["hint", "softmax"]).stdout).toMatch(/That was the last hint/);
    expect(JSON.parse(cli(ws, ["progress", "--json"]).stdout).modules.find((m: any) => m.id === "softmax").hintsUsed).toBe(3);
  });
  it("solution --force piped to a file gives a file that passes", () => {
    const ws = tempWorkspace();
    const sol = cli(ws, ["solution", "softmax", "--force"]);
    writeFileSync(join(ws, "mine.ts"), sol.stdout);
    const r = submitJson(ws, "softmax", ["--file", "mine.ts"]);
    expect(r.run.code).toBe(0);
    expect(r.report.verdict).toBe("accepted");
  });
});

describe("progress is never lost", () => {
  it("a corrupt progress file is moved aside with a message, not overwritten silently", () => {
    const ws = tempWorkspace();
    cli(ws, ["start", "softmax", "--no-watch"]);
    writeFileSync(join(ws, ".llmdrill", "progress.json"), "{ not json");
    const r = cli(ws, ["hint", "softmax"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/progress file .* is not valid JSON; it was moved to .*\.bad/);
    const aside = readdirSync(join(ws, ".llmdrill")).filter((f) => f.endsWith(".bad"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(ws, ".llmdrill", aside[0]!), "utf8")).toBe("{ not json");
  });
  it("a progress file from a newer llmdrill is moved aside too", () => {
    const ws = tempWorkspace();
    cli(ws, ["start", "softmax", "--no-watch"]);
    writeFileSync(join(ws, ".llmdrill", "progress.json"), JSON.stringify({ schema: 99, modules: {} }));
    expect(cli(ws, ["progress"]).stderr).toMatch(/written by a newer llmdrill \(schema 99/);
  });
  it("concurrent submissions each record their attempt", async () => {
    const ws = tempWorkspace();
    cli(ws, ["start", "softmax", "--no-watch"]);
    writeFileSync(join(ws, "drills", "008-softmax.ts"), REF);
    const runs = await Promise.all(Array.from({ length: 8 }, () => cliAsync(ws, ["submit", "softmax"])));
    expect(runs.map((r) => r.code)).toEqual(new Array(8).fill(0));
    const p = JSON.parse(cli(ws, ["progress", "--json"]).stdout).modules.find((m: any) => m.id === "softmax");
    expect(p.attempts).toBe(8);
    expect(p.passes).toBe(8);
  }, 60_000);
});

describe("a drill file type-checks in the workspace with no setup", () => {
  it("every blank template and every reference solution, under drills/tsconfig.json", async () => {
    const { spawnSync } = await import("node:child_process");
    const { REGISTRY } = await import("../../src/registry.ts");
    const ws = tempWorkspace();
    for (const m of REGISTRY) expect(cli(ws, ["start", m.id, "--no-watch"]).code).toBe(0);
    const tsc = join(import.meta.dirname, "..", "..", "node_modules", "typescript", "bin", "tsc");
    const check = () => spawnSync(process.execPath, [tsc, "-p", join(ws, "drills", "tsconfig.json")], { encoding: "utf8" });
    let r = check();
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const m of REGISTRY) {
      const slug = `${String(m.number).padStart(3, "0")}-${m.id}`;
      writeFileSync(join(ws, "drills", `${slug}.ts`), cli(ws, ["solution", m.id, "--force"]).stdout);
    }
    r = check();
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 120_000);
});
