// Watch mode of `llmdrill start` on a terminal: a live clock, a re-grade on every save of the drill
// file (or of a file of the learner's that it imports) with the verdict redrawn in place, and keys
// (enter grade now, h hint, s README, q quit).
// Everything stays warm between saves: the spec and fixtures, esbuild's service, the onnxruntime
// sessions, and a worker started ahead of time for the next grade.
import { createHash } from "node:crypto";
import { watch as fsWatch, readFileSync, statSync, type FSWatcher } from "node:fs";
import { dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { compileDrill, compiledImports, fileSum } from "../core/compile.js";
import { loadFixtures } from "../core/fixtures.js";
import { grade, gradeLimits } from "../core/grade.js";
import { readmePath } from "../core/paths.js";
import { freshSeed, Rng } from "../core/rng.js";
import { startSandbox, type Sandbox } from "../core/sandbox.js";
import type { Report } from "../core/report.js";
import type { ModuleSpec } from "../core/types.js";
import type { Workspace } from "../core/workspace.js";
import type { RegistryEntry } from "../registry.js";
import { renderReport, type ClockNote } from "../cli/render.js";
import { renderMarkdown } from "../cli/markdown.js";
import { LiveArea } from "../cli/screen.js";
import { c, duration, page } from "../cli/ui.js";
import { store } from "./context.js";
import { hintText, revealHint } from "./info.js";
import { recordSubmission } from "./submit.js";

const DEBOUNCE_MS = 100;
const POLL_MS = 400;

export interface WatchSession {
  entry: RegistryEntry;
  spec: ModuleSpec;
  ws: Workspace;
  file: string;
  brief: string;
  /** The running clock's start (ISO), if one runs. */
  clockStartedAt?: string;
}

/** What identifies one saved version of the file: a new one means a save (editors' renames too). */
function signature(file: string): { sig: string; text: string } | "missing" | "empty" {
  let st, bytes;
  try {
    st = statSync(file);
    bytes = readFileSync(file);
  } catch {
    return "missing";
  }
  if (bytes.length === 0) return "empty"; // mid-save: truncated, not yet written
  const hash = createHash("sha1").update(bytes).digest("hex");
  return { sig: `${st.ino}:${st.mtimeMs}:${bytes.length}:${hash}`, text: bytes.toString("utf8") };
}

/**
 * Calls onChange on events in folder for the files `wanted` accepts (folders, not files, are watched:
 * an editor's save by rename replaces the file); undefined where the platform cannot watch.
 */
function watchFolder(folder: string, wanted: (path: string) => boolean, onChange: () => void): FSWatcher | undefined {
  try {
    const w = fsWatch(folder, (_event, f) => {
      if (!f || wanted(join(folder, f.toString()))) onChange();
    });
    w.on("error", () => w.close()); // the poll still sees every save
    return w;
  } catch {
    return undefined;
  }
}

/** Runs until the learner quits; resolves then. */
export function watch(session: WatchSession): Promise<void> {
  const { entry, spec, ws, file } = session;
  const rel = relative(process.cwd(), file) || file;
  const s = store(ws);
  const fixtures = loadFixtures(spec);
  const limits = gradeLimits(spec);
  const area = new LiveArea(process.stdout, session.brief);
  const stdin = process.stdin;

  let clockStartedAt = session.clockStartedAt ? Date.parse(session.clockStartedAt) : undefined;
  let stoppedAt: { ms: number } | undefined;
  let body = c.dim(`Watching ${rel}: every save is graded (and recorded as a submission).`);
  let saves = 0;
  let grading = false, pending = false, forced = false, quitting = false;
  let seen: string | undefined;
  /** The learner's other files the drill imports (from its last compile), with the sum of what was graded. */
  let deps = new Map<string, string>();
  const depsChanged = () => [...deps].some(([p, h]) => fileSum(p) !== h);
  let missingShown = false;
  let next: Sandbox | undefined = startSandbox(limits);
  let debounce: NodeJS.Timeout | undefined;

  const keys = c.dim("enter grade · h hint · s README · q quit");
  const footer = (): string => {
    const state = grading ? c.cyan("grading…  ") : "";
    if (clockStartedAt !== undefined) {
      const ms = Date.now() - clockStartedAt;
      const over = ms > entry.targetMinutes * 60000;
      return `${state}${c.bold("clock")} ${over ? c.yellow(duration(ms)) : c.bold(duration(ms))} ${c.dim(`/ target ${entry.targetMinutes} min`)}   ${keys}`;
    }
    if (stoppedAt) return `${state}${c.green.bold(`✓ passed in ${duration(stoppedAt.ms)}`)} ${c.dim("(clock stopped)")}   ${keys}`;
    return `${state}${c.dim("no clock running")}   ${keys}`;
  };
  const draw = () => area.render(body, footer());

  const first = signature(file);
  if (typeof first === "object") seen = first.sig;

  async function gradeNow(): Promise<void> {
    const sandbox = next ?? startSandbox(limits);
    next = undefined;
    const seed = freshSeed();
    const t0 = performance.now();
    let report: Report, clock: ClockNote & { clockStartedAt?: string };
    try {
      report = await grade(spec, { file, buildDir: ws.buildDir, seed, fixtures, sandbox });
      clock = recordSubmission(s, entry, report.verdict, seed);
      // what this grade compiled; after a compile error, what it knew plus the file the error is in
      if (report.verdict !== "compile_error") deps = compiledImports(file, ws.buildDir);
      const at = report.failure?.location?.file;
      if (at && at !== file && !deps.has(at)) deps.set(at, fileSum(at));
      followImports();
    } catch (e) {
      // llmdrill's fault (an oracle failure, a progress lock held too long): said, and watching goes on
      body = c.red(`llmdrill: internal error while grading: ${(e as Error).message}\n`) + c.dim(`(a bug in llmdrill, not in your code: \`llmdrill submit ${entry.id} --debug\` shows the details for a bug report)`);
      return;
    }
    for (const w of s.warnings.splice(0)) area.print(c.yellow(`llmdrill: warning: ${w}`));
    clockStartedAt = clock.clockStartedAt ? Date.parse(clock.clockStartedAt) : undefined;
    if (report.verdict === "accepted" && clock.elapsedMs !== undefined) stoppedAt = { ms: clock.elapsedMs };
    saves++;
    const when = new Date().toTimeString().slice(0, 8);
    body = `${c.dim(`submission ${saves} · ${when} · ${Math.round(performance.now() - t0)} ms`)}\n${renderReport(report, entry.id, clock)}`;
  }

  /** Grades the file when it changed since the last grade (or when asked to). */
  async function check(force = false): Promise<void> {
    if (quitting) return;
    if (grading) {
      pending = true;
      forced ||= force;
      return;
    }
    const cur = signature(file);
    if (cur === "empty") return;
    if (cur === "missing") {
      seen = undefined; // the file that comes back is a save, whatever it holds
      if (!missingShown) {
        missingShown = true;
        body = c.yellow(`${rel} is missing; waiting for it to come back (\`llmdrill reset ${entry.id}\` writes the blank again).`);
        draw();
      }
      return;
    }
    missingShown = false;
    if (cur.sig === seen && !force && !depsChanged()) return;
    seen = cur.sig;
    deps = new Map([...deps].map(([p]) => [p, fileSum(p)])); // seen now, whatever the grade compiles
    grading = true;
    area.setFooter(footer());
    try {
      await gradeNow();
    } finally {
      grading = false;
    }
    if (quitting) return;
    draw();
    // the next grade's worker boots now, while the learner reads the verdict
    setImmediate(() => {
      if (!quitting && !next) next = startSandbox(limits);
    });
    if (pending) {
      const f = forced;
      pending = forced = false;
      void check(f);
    }
  }

  /** A file event: grade DEBOUNCE_MS after the last one (an editor's save is several events). */
  const schedule = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      void check();
    }, DEBOUNCE_MS);
  };

  // file events: the folders of the drill and of the files it imports are watched, and a poll of the
  // files' stat and content hash catches what events miss (WSL, network mounts);
  // LLMDRILL_WATCH=poll leaves events out
  const useEvents = process.env.LLMDRILL_WATCH !== "poll";
  const watchers = new Map<string, FSWatcher | undefined>();
  const wanted = (p: string) => p === file || deps.has(p);
  function followImports(): void {
    if (!useEvents || quitting) return;
    const folders = new Set([dirname(file), ...[...deps.keys()].map((p) => dirname(p))]);
    for (const [d, w] of watchers) {
      if (!folders.has(d)) {
        w?.close();
        watchers.delete(d);
      }
    }
    for (const d of folders) if (!watchers.has(d)) watchers.set(d, watchFolder(d, wanted, schedule));
  }
  followImports();
  let lastPolled = seen;
  const poll = setInterval(() => {
    const cur = signature(file);
    const sig = typeof cur === "object" ? cur.sig : cur;
    const imports = depsChanged();
    if (sig !== lastPolled || imports) {
      lastPolled = sig;
      // a change the events missed; one they already reported is not delayed again
      if (!debounce && (cur === "missing" || imports || (typeof cur === "object" && cur.sig !== seen))) schedule();
    }
  }, POLL_MS);
  const tick = setInterval(() => {
    if (!quitting) area.setFooter(footer());
  }, 1000);

  // warm up: esbuild's service and the oracle's sessions, so the first save is as fast as the rest
  void (async () => {
    try {
      await compileDrill(file, ws.buildDir);
      const { ortRunner } = await import("../onnx/runtime.js");
      for (const cs of spec.randomCases(new Rng(1))) await spec.oracle(cs, ortRunner);
    } catch { /* warming up only */ }
  })();

  return new Promise<void>((resolve) => {
    const restore = () => {
      if (stdin.isTTY) stdin.setRawMode(false);
      process.stdout.write("\x1b[?25h");
    };
    process.once("exit", restore);

    const quit = () => {
      if (quitting) return;
      quitting = true;
      clearTimeout(debounce);
      debounce = undefined;
      clearInterval(poll);
      clearInterval(tick);
      for (const w of watchers.values()) w?.close();
      next?.dispose();
      next = undefined;
      stdin.off("data", onKey);
      process.stdout.off("resize", onResize);
      for (const sig of ["SIGTERM", "SIGHUP"] as const) process.off(sig, quit);
      area.setFooter(footer());
      area.close();
      restore();
      stdin.pause();
      if (clockStartedAt !== undefined) {
        process.stdout.write(c.dim(`The clock keeps running (${duration(Date.now() - clockStartedAt)} so far) until your next pass: \`llmdrill start ${entry.id}\` resumes watching, \`llmdrill submit ${entry.id}\` grades once.`) + "\n");
      }
      resolve();
    };

    const hint = () => {
      const level = revealHint(entry, ws);
      area.print(`${hintText(spec, level)}\n${c.dim(level < 3 ? "(press h again for the next level)" : "(that is the last hint; s opens the README)")}\n`);
    };

    const readme = async () => {
      stdin.off("data", onKey);
      stdin.setRawMode(false);
      stdin.pause();
      const paged = await page(renderMarkdown(readFileSync(readmePath(entry), "utf8")), true);
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on("data", onKey);
      if (paged) area.refresh();
      else {
        area.detach();
        draw();
      }
    };

    function onKey(chunk: string): void {
      if (chunk.startsWith("\x1b")) return; // arrows, function keys (F2 is ESC O Q): not ours
      for (const k of chunk) {
        if (quitting) return;
        if (k === "q" || k === "Q" || k === "\x03" || k === "\x04") quit();
        else if (k === "h" || k === "H") hint();
        else if (k === "s" || k === "S") {
          void readme();
          return; // the rest of the chunk went to the pager's terminal
        } else if (k === "\r" || k === "\n") void check(true);
      }
    }
    const onResize = () => area.refresh();

    for (const sig of ["SIGTERM", "SIGHUP"] as const) process.on(sig, quit);
    process.stdout.on("resize", onResize);
    stdin.setEncoding("utf8");
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onKey);
    process.stdout.write("\n");
    draw();
  });
}
