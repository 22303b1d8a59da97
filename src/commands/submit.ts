import { readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { grade } from "../core/grade.js";
import { moduleSlug } from "../core/paths.js";
import { ProgressStore, recordAttempt } from "../core/progress.js";
import { freshSeed } from "../core/rng.js";
import { reviewOnSubmission } from "../core/schedule.js";
import { drillPath } from "../core/workspace.js";
import { UsageError } from "../core/errors.js";
import { loadSpec, type RegistryEntry } from "../registry.js";
import type { Verdict } from "../core/report.js";
import { out } from "../cli/ui.js";
import { renderReport, type ClockNote } from "../cli/render.js";
import { flushWarnings, moduleArg, store, workspace } from "./context.js";

/** The drill file must be a readable, non-empty UTF-8 file: anything else is a usage error. */
export function checkDrillFile(file: string, hint: string): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new UsageError(`no file at ${file}${hint}`);
  }
  if (st.isDirectory()) throw new UsageError(`${file} is a directory, not a drill file`);
  if (!st.isFile()) throw new UsageError(`${file} is not a regular file`);
  if (st.size === 0) throw new UsageError(`${file} is empty`);
  const bytes = readFileSync(file);
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${file} is not UTF-8 text`);
  }
}

/** Records a graded submission under the progress lock; a pass stops the clock and records the time. */
export function recordSubmission(s: ProgressStore, entry: RegistryEntry, verdict: Verdict, seed: number): ClockNote & { clockStartedAt?: string } {
  return s.update((data, now) => {
    const p = ProgressStore.entry(data, moduleSlug(entry));
    const before = { clockStartedAt: p.clockStartedAt, previousBestMs: p.bestMs };
    const r = recordAttempt(p, verdict, now, seed);
    // the spaced-review card moves at the pass that stops a timed session (src/core/schedule.ts)
    const review = reviewOnSubmission(p, { accepted: verdict === "accepted", elapsedMs: r.elapsedMs, firstPass: r.firstPass, ...before }, entry.targetMinutes, now);
    return {
      ...r, bestMs: p.bestMs, targetMinutes: entry.targetMinutes, recorded: true, clockStartedAt: p.clockStartedAt,
      ...(review ? { review: { rating: review.lastRating, reason: review.reason, due: review.due } } : {}),
    };
  });
}

export async function submit(name: string, opts: { file?: string; seed?: number; json?: boolean }): Promise<void> {
  const entry = moduleArg(name, "submit");
  const ws = workspace();
  const file = opts.file ? resolve(opts.file) : drillPath(ws, entry);
  checkDrillFile(file, opts.file ? "" : `; run \`llmdrill start ${entry.id}\` first`);
  const seed = opts.seed ?? freshSeed();
  const spec = await loadSpec(entry);
  const buildDir = ws.initialized ? ws.buildDir : join(tmpdir(), "llmdrill-build");
  const report = await grade(spec, { file, buildDir, seed });

  let clock: ClockNote = { firstPass: false, newBest: false, targetMinutes: entry.targetMinutes, recorded: false };
  if (ws.initialized) {
    const s = store(ws);
    const { clockStartedAt: _running, ...note } = recordSubmission(s, entry, report.verdict, seed);
    clock = note;
    flushWarnings(s);
  }
  if (opts.json) out(JSON.stringify({ ...report, clock }, null, 2));
  else out(renderReport(report, entry.id, clock));
  process.exitCode = report.verdict === "accepted" ? 0 : 1;
}
