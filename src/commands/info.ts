import { readFileSync } from "node:fs";
import { moduleSlug, readmePath, referencePath } from "../core/paths.js";
import { ProgressStore, statusOf } from "../core/progress.js";
import { ensureWorkspace } from "../core/workspace.js";
import { UsageError } from "../core/errors.js";
import { refuseDuringMock } from "../core/mock.js";
import { loadSpec, type RegistryEntry } from "../registry.js";
import { c, out, page } from "../cli/ui.js";
import { renderMarkdown } from "../cli/markdown.js";
import type { ModuleSpec } from "../core/types.js";
import type { Workspace } from "../core/workspace.js";
import { flushWarnings, moduleArg, moduleOrPick, store, workspace } from "./context.js";

/** The README rendered for a terminal; the raw Markdown when stdout is not one (pipes, files). */
export function readmeText(entry: RegistryEntry): string {
  const md = readFileSync(readmePath(entry), "utf8");
  return process.stdout.isTTY ? renderMarkdown(md) : md;
}

export async function show(name: string | undefined): Promise<void> {
  const entry = await moduleOrPick(name, "show", "Which module's README?");
  if (!entry) return;
  await page(readmeText(entry));
}

const LEVELS = ["nudge", "formula", "pseudocode"] as const;

/** The text of hint level l (1 to 3). */
export function hintText(spec: ModuleSpec, l: number): string {
  const key = LEVELS[l - 1]!;
  return `${c.bold(`Hint ${l}/3 (${key === "pseudocode" ? "pseudo-code" : key}):`)}\n${spec.hints[key]}`;
}

/** Reveals the next hint level (at most 3) and records it; returns the level now reached. */
export function revealHint(entry: RegistryEntry, ws: Workspace): number {
  const s = store(ws);
  refuseDuringMock(s.read(), "hint"); // also the h key of watch mode
  ensureWorkspace(ws);
  const level = s.update((data) => {
    const p = ProgressStore.entry(data, moduleSlug(entry));
    p.hintsUsed = Math.min(3, p.hintsUsed + 1);
    return p.hintsUsed;
  });
  flushWarnings(s);
  return level;
}

export async function hint(name: string | undefined): Promise<void> {
  const entry = await moduleOrPick(name, "hint", "A hint for which module?");
  if (!entry) return;
  const spec = await loadSpec(entry);
  const level = revealHint(entry, workspace());
  for (let l = 1; l <= level; l++) {
    out(hintText(spec, l));
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
