import { readFileSync } from "node:fs";
import { moduleSlug, readmePath, referencePath } from "../core/paths.js";
import { ProgressStore, statusOf } from "../core/progress.js";
import { ensureWorkspace } from "../core/workspace.js";
import { UsageError } from "../core/errors.js";
import { refuseDuringMock } from "../core/mock.js";
import { loadSpec } from "../registry.js";
import { c, out } from "../cli/ui.js";
import { flushWarnings, moduleArg, store, workspace } from "./context.js";

export function show(name: string): void {
  const entry = moduleArg(name, "show");
  out(readFileSync(readmePath(entry), "utf8"));
}

const LEVELS = ["nudge", "formula", "pseudocode"] as const;

export async function hint(name: string): Promise<void> {
  const entry = moduleArg(name, "hint");
  const spec = await loadSpec(entry);
  const ws = workspace();
  const s = store(ws);
  refuseDuringMock(s.read(), "hint");
  ensureWorkspace(ws);
  const level = s.update((data) => {
    const p = ProgressStore.entry(data, moduleSlug(entry));
    p.hintsUsed = Math.min(3, p.hintsUsed + 1);
    return p.hintsUsed;
  });
  flushWarnings(s);
  for (let l = 1; l <= level; l++) {
    const key = LEVELS[l - 1]!;
    out(c.bold(`Hint ${l}/3 (${key === "pseudocode" ? "pseudo-code" : key}):`));
    out(spec.hints[key]);
    out("");
  }
  out(c.dim(level < 3 ? `Run \`llmdrill hint ${entry.id}\` again for the next level.` : `That was the last hint. The theory: llmdrill show ${entry.id}`));
}

export function solution(name: string, opts: { force?: boolean }): void {
  const entry = moduleArg(name, "solution");
  const ws = workspace();
  const s = store(ws);
  const slug = moduleSlug(entry);
  const data = s.read();
  refuseDuringMock(data, "solution");
  const passed = statusOf(data.modules[slug]) === "passed";
  flushWarnings(s);
  if (!passed && !opts.force) {
    throw new UsageError(`the reference solution of ${entry.id} opens after you pass it (\`llmdrill submit ${entry.id}\`); \`llmdrill solution ${entry.id} --force\` shows it now and records that you looked`);
  }
  if (ws.initialized) {
    s.update((data) => {
      ProgressStore.entry(data, slug).solutionViewed = true;
    });
    flushWarnings(s);
  }
  const source = readFileSync(referencePath(entry), "utf8");
  if (process.stdout.isTTY) {
    out(c.dim(`// reference solution of ${slug}${passed ? "" : " (viewed before passing: recorded)"}`));
  }
  process.stdout.write(source);
}
