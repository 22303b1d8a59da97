// `llmdrill mock`: K modules under one clock, in mock/<id>/ (never drills/), no hints, no solutions,
// graded at the end and recorded apart from practice.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { grade } from "../core/grade.js";
import { moduleSlug, templatePath } from "../core/paths.js";
import { ProgressStore } from "../core/progress.js";
import { freshSeed } from "../core/rng.js";
import { ensureWorkspace, type Workspace } from "../core/workspace.js";
import { UsageError } from "../core/errors.js";
import { activeMock, DEFAULT_COUNT, DEFAULT_MINUTES, mockId, mockWeights, pickWeighted, type MockRecord, type MockResult } from "../core/mock.js";
import { loadSpec, REGISTRY, resolveModule, type RegistryEntry } from "../registry.js";
import { c, duration, isInteractive, out } from "../cli/ui.js";
import { flushWarnings, store, workspace } from "./context.js";

export interface MockOptions { minutes?: number; count?: number; anyTier?: boolean; finish?: boolean; json?: boolean }

const bySlug = new Map(REGISTRY.map((m) => [moduleSlug(m), m]));
const entryOf = (slug: string): RegistryEntry => bySlug.get(slug)!;

export async function mock(names: string[], opts: MockOptions): Promise<void> {
  const ws = workspace();
  if (opts.finish) {
    if (names.length || opts.minutes !== undefined || opts.count !== undefined || opts.anyTier) throw new UsageError("mock --finish takes no modules, --minutes, --count or --any-tier");
    return finish(ws, opts.json, "finish");
  }
  ensureWorkspace(ws);
  const s = store(ws);
  const data = s.read();
  flushWarnings(s);
  const running = activeMock(data);
  if (running) {
    const state = Date.parse(running.deadline) > Date.now() ? "is already running" : "ran out of time and is not graded yet";
    throw new UsageError(`a mock interview ${state} (${running.id}); \`llmdrill mock --finish\` grades it`);
  }

  const now = new Date();
  const minutes = opts.minutes ?? DEFAULT_MINUTES;
  let slugs: string[];
  if (names.length) {
    slugs = [...new Set(names.map((n) => moduleSlug(resolveModule(n))))];
    if (opts.count !== undefined && opts.count !== slugs.length) throw new UsageError(`--count ${opts.count} does not match the ${slugs.length} modules named`);
    slugs.sort();
  } else {
    const cands = mockWeights(REGISTRY, data.modules, now, opts.anyTier ?? false);
    const count = opts.count ?? DEFAULT_COUNT;
    if (count > cands.length) throw new UsageError(`--count ${count} is more than the ${cands.length} modules in reach (--any-tier draws from all ${REGISTRY.length})`);
    slugs = pickWeighted(cands, count, Math.random);
  }

  let id = mockId(now);
  for (let i = 2; existsSync(join(ws.root, "mock", id)); i++) id = `${mockId(now)}-${i}`;
  const dir = join(ws.root, "mock", id);
  mkdirSync(dir, { recursive: true });
  for (const f of ["llmdrill.d.ts", "tsconfig.json"]) copyFileSync(join(ws.drillsDir, f), join(dir, f));
  for (const slug of slugs) copyFileSync(templatePath(entryOf(slug)), join(dir, `${slug}.ts`));

  const record: MockRecord = {
    id, startedAt: now.toISOString(), deadline: new Date(now.getTime() + minutes * 60_000).toISOString(), minutes,
    dir: relative(ws.root, dir), modules: slugs,
  };
  s.update((d) => {
    if (activeMock(d)) throw new UsageError("another mock interview was started meanwhile; `llmdrill mock --finish` grades it");
    (d.mocks ??= []).push(record);
  });
  flushWarnings(s);

  if (opts.json) {
    out(JSON.stringify({ ...record, files: slugs.map((x) => join(dir, `${x}.ts`)), targets: Object.fromEntries(slugs.map((x) => [x, entryOf(x).targetMinutes])) }, null, 2));
    return;
  }
  const rel = relative(process.cwd(), dir) || dir;
  out(c.bold(`Mock interview ${id}: ${slugs.length} module${slugs.length > 1 ? "s" : ""} in ${minutes} min (until ${record.deadline.slice(11, 16)} UTC)`));
  for (const slug of slugs) {
    const e = entryOf(slug);
    out(`  ${c.cyan(join(rel, `${slug}.ts`))}  ${e.title} ${c.dim(`(target ${e.targetMinutes} min)`)}`);
  }
  out("");
  out(c.dim("No hints, no solutions, no grading until the end. Each file's contract is in its header comment."));
  if (!isInteractive()) {
    out(c.dim("Grade it with: llmdrill mock --finish"));
    return;
  }
  const endedBy = await countdown(Date.parse(record.deadline));
  out("");
  await finish(ws, false, endedBy);
}

/** Shows the time left on one line until the deadline or Enter; Ctrl-C leaves the mock running. */
function countdown(deadline: number): Promise<"time" | "enter"> {
  return new Promise((resolve) => {
    const tick = () => {
      const left = Math.max(0, deadline - Date.now());
      process.stdout.write(`\r${c.bold(duration(left))} left · Enter grades now · Ctrl-C leaves it running   `);
      if (left === 0) done("time");
    };
    const onData = () => done("enter");
    const onSigint = () => {
      process.stdout.write(`\n${c.dim("The mock keeps running; `llmdrill mock --finish` grades it.")}\n`);
      process.exit(130);
    };
    const timer = setInterval(tick, 1000);
    function done(how: "time" | "enter") {
      clearInterval(timer);
      process.stdin.off("data", onData);
      process.off("SIGINT", onSigint);
      process.stdin.pause();
      resolve(how);
    }
    process.stdin.on("data", onData);
    process.on("SIGINT", onSigint);
    process.stdin.resume();
    tick();
  });
}

async function gradeOne(ws: Workspace, m: MockRecord, slug: string): Promise<MockResult> {
  const file = join(ws.root, m.dir, `${slug}.ts`);
  const start = Date.parse(m.startedAt), deadline = Date.parse(m.deadline);
  let mtime: number;
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size === 0) throw new Error("empty");
    mtime = st.mtimeMs;
  } catch {
    return { slug, verdict: "missing", accepted: false, passed: 0, total: 0, timeUsedMs: null, late: false };
  }
  const entry = entryOf(slug);
  const untouched = readFileSync(file, "utf8") === readFileSync(templatePath(entry), "utf8");
  const seed = freshSeed();
  const report = await grade(await loadSpec(entry), { file, buildDir: ws.buildDir, seed });
  const late = mtime > deadline;
  return {
    slug, verdict: report.verdict, accepted: report.verdict === "accepted" && !late, passed: report.passed, total: report.total,
    timeUsedMs: untouched ? null : Math.max(0, Math.min(mtime, deadline) - start), late, seed,
  };
}

async function finish(ws: Workspace, json: boolean | undefined, how: "finish" | "enter" | "time"): Promise<void> {
  const s: ProgressStore = store(ws);
  const m = activeMock(s.read());
  flushWarnings(s);
  if (!m) throw new UsageError("no mock interview is running; `llmdrill mock` starts one");
  const results: MockResult[] = [];
  for (const slug of m.modules) results.push(await gradeOne(ws, m, slug));
  const now = new Date();
  const endedBy = how === "finish" && now.getTime() > Date.parse(m.deadline) ? "expired" : how;
  const done = s.update((d) => {
    const rec = d.mocks?.find((x) => x.id === m.id);
    if (!rec || rec.finishedAt) throw new UsageError(`mock ${m.id} was finished meanwhile`);
    rec.finishedAt = now.toISOString();
    rec.endedBy = endedBy;
    rec.results = results;
    return { ...rec };
  });
  flushWarnings(s);
  const usedMs = Math.min(now.getTime(), Date.parse(done.deadline)) - Date.parse(done.startedAt);
  const accepted = results.filter((r) => r.accepted).length;
  process.exitCode = accepted === results.length ? 0 : 1;
  if (json) {
    out(JSON.stringify({ ...done, usedMs, accepted, total: results.length }, null, 2));
    return;
  }
  out(c.bold(`Mock ${done.id}: ${accepted}/${results.length} accepted`) + c.dim(` · ${duration(usedMs)} of ${done.minutes} min${endedBy === "expired" ? " (time ran out before --finish)" : ""}`));
  for (const r of results) {
    const mark = r.accepted ? c.green("✓") : c.red("✗");
    const verdict = r.verdict === "missing" ? "file missing" : r.verdict.replace(/_/g, " ");
    const extra = [r.total ? `${r.passed}/${r.total} cases` : "", r.timeUsedMs !== null ? `last save at ${duration(r.timeUsedMs)}` : "untouched", r.late ? "saved after the deadline: not counted" : ""].filter(Boolean).join(" · ");
    out(`  ${mark} ${r.slug.padEnd(34)} ${verdict.padEnd(22)} ${c.dim(extra)}`);
  }
  out(c.dim(`Recorded as a mock, not as practice attempts. Your files stay in ${done.dir}/.`));
}
