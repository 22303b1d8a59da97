// Runs the built CLI (bin/llmdrill.js -> dist/) in a temporary workspace, as a learner would.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BIN = join(import.meta.dirname, "..", "..", "bin", "llmdrill.js");

export interface Run { code: number | null; stdout: string; stderr: string; ms: number }

const made: string[] = [];

/** Removes every directory tempWorkspace made (run after each test file: tests/helpers/setup.ts). */
export function cleanupWorkspaces(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A fresh temporary directory, removed after the test file. */
export function tempWorkspace(): string {
  const d = mkdtempSync(join(tmpdir(), "llmdrill-ws-"));
  made.push(d);
  return d;
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...extra };
  if (!("LLMDRILL_WORKSPACE" in extra)) delete e.LLMDRILL_WORKSPACE;
  return e;
}

/** Runs `llmdrill ...args` synchronously in cwd with stdin closed (not a TTY). */
export function cli(cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Run {
  const t = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: env(extraEnv), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t };
}

/** The same, asynchronously (for concurrency tests). */
export function cliAsync(cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const t = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, env: env(extraEnv), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - t }));
  });
}

/** submit --json, parsed. */
export function submitJson(cwd: string, mod: string, extra: string[] = []): { run: Run; report: any } {
  const run = cli(cwd, ["submit", mod, "--json", ...extra]);
  let report: any;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`submit --json did not print JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return { run, report };
}
