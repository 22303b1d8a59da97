// End to end, per registered module, with the built CLI in a fresh workspace: start writes the
// blank template, the blank fails (exit 1), the reference printed by `solution --force` passes
// (exit 0), and `progress --json` shows the pass with its recorded time.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moduleSlug } from "../../src/core/paths.ts";
import { REGISTRY } from "../../src/registry.ts";
import { cli, submitJson, tempWorkspace } from "../helpers/cli.ts";

describe("each module end to end", () => {
  for (const entry of REGISTRY) {
    const slug = moduleSlug(entry);
    it(`${slug}: start, blank fails, reference passes, time recorded`, () => {
      const ws = tempWorkspace();
      const started = cli(ws, ["start", entry.id, "--no-watch"]);
      expect(started.code, started.stderr).toBe(0);
      expect(started.stdout).toContain(`llmdrill submit ${entry.id}`);
      const file = join(ws, "drills", `${slug}.ts`);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, "utf8")).toContain("TODO");
      expect(existsSync(join(ws, "drills", "llmdrill.d.ts"))).toBe(true);
      expect(existsSync(join(ws, "drills", "tsconfig.json"))).toBe(true);

      const blank = submitJson(ws, String(entry.number));
      expect(blank.run.code).toBe(1);
      expect(blank.report.verdict).toBe("runtime_error");
      expect(blank.report.failure.message).toMatch(/not implemented/);

      const sol = cli(ws, ["solution", entry.id, "--force"]);
      expect(sol.code).toBe(0);
      expect(sol.stdout.startsWith("//")).toBe(true);
      writeFileSync(file, sol.stdout);
      const pass = submitJson(ws, entry.aliases[0] ?? entry.id);
      expect(pass.run.code, JSON.stringify(pass.report.failure)).toBe(0);
      expect(pass.report.verdict).toBe("accepted");
      expect(pass.report.passed).toBe(pass.report.total);

      const prog = JSON.parse(cli(ws, ["progress", "--json"]).stdout);
      const m = prog.modules.find((x: any) => x.id === entry.id);
      expect(m.status).toBe("passed");
      expect(m.attempts).toBe(2);
      expect(typeof m.bestMs).toBe("number");
      expect(m.firstPassMs).toBeGreaterThanOrEqual(m.bestMs);
      expect(m.solutionViewed).toBe(true);
    }, 60_000);
  }
});
