// Progress per module, in <workspace>/.llmdrill/progress.json. Every change is a locked
// read-modify-write; writes are atomic (temp file, fsync, rename). A file that cannot be read is
// moved aside and reported, never silently dropped.
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Verdict } from "./report.js";
import type { ReviewCard } from "./schedule.js";
import type { MockRecord } from "./mock.js";

export const PROGRESS_SCHEMA = 1;
const HISTORY_CAP = 200;

export interface Attempt {
  at: string;
  verdict: Verdict;
  seed?: number;
  /** Clock time at this submission, when the clock was running. */
  elapsedMs?: number;
}

export interface ModuleProgress {
  /** First `start` ever. */
  startedAt?: string;
  /** The running clock's start; absent when the clock is stopped. */
  clockStartedAt?: string;
  attempts: number;
  passes: number;
  /** Clock time from the first start to the first pass. */
  firstPassMs?: number;
  bestMs?: number;
  lastMs?: number;
  /** Every timed pass, oldest first. */
  times: number[];
  /** Highest hint level revealed (0 to 3). */
  hintsUsed: number;
  solutionViewed: boolean;
  lastVerdict?: Verdict;
  lastAttemptAt?: string;
  passedAt?: string;
  history: Attempt[];
  /** The spaced-review card (FSRS), set at the first timed pass; see schedule.ts. */
  review?: ReviewCard;
}

export interface ProgressData {
  schema: number;
  modules: Record<string, ModuleProgress>;
  /** Mock interviews, oldest first; kept apart from practice (never counted as attempts). */
  mocks?: MockRecord[];
}

export type Status = "new" | "attempted" | "passed";

export function statusOf(p: ModuleProgress | undefined): Status {
  if (!p) return "new";
  if (p.passes > 0) return "passed";
  return p.attempts > 0 || p.startedAt ? "attempted" : "new";
}

export function emptyModule(): ModuleProgress {
  return { attempts: 0, passes: 0, times: [], hintsUsed: 0, solutionViewed: false, history: [] };
}

export class ProgressStore {
  readonly file: string;
  /** Messages for the learner (a file moved aside); the UI prints them. */
  readonly warnings: string[] = [];

  constructor(readonly stateDir: string, private now: () => Date = () => new Date()) {
    this.file = join(stateDir, "progress.json");
  }

  /** Reads progress; an unreadable or future-version file is moved aside with a warning. */
  read(): ProgressData {
    if (!existsSync(this.file)) return { schema: PROGRESS_SCHEMA, modules: {} };
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (e) {
      return this.quarantine(`cannot be read (${(e as Error).message})`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return this.quarantine("is not valid JSON");
    }
    const d = doc as Partial<ProgressData>;
    if (typeof d !== "object" || d === null || typeof d.modules !== "object" || d.modules === null) return this.quarantine("has no modules table");
    if (d.schema !== PROGRESS_SCHEMA) {
      return this.quarantine(typeof d.schema === "number" && d.schema > PROGRESS_SCHEMA ? `was written by a newer llmdrill (schema ${d.schema}; this one reads ${PROGRESS_SCHEMA})` : `has an unknown schema ${JSON.stringify(d.schema)}`);
    }
    const modules: Record<string, ModuleProgress> = {};
    for (const [k, v] of Object.entries(d.modules)) modules[k] = { ...emptyModule(), ...v };
    return { schema: PROGRESS_SCHEMA, modules, ...(Array.isArray(d.mocks) ? { mocks: d.mocks } : {}) };
  }

  private quarantine(why: string): ProgressData {
    const stamp = this.now().toISOString().replace(/[:.]/g, "-");
    const aside = `${this.file}.${stamp}.bad`;
    try {
      renameSync(this.file, aside);
      this.warnings.push(`progress file ${this.file} ${why}; it was moved to ${aside} and a new one started`);
    } catch (e) {
      this.warnings.push(`progress file ${this.file} ${why} and could not be moved aside (${(e as Error).message})`);
    }
    return { schema: PROGRESS_SCHEMA, modules: {} };
  }

  /** Removes temp files left by writers and lockers that were killed (under the lock). */
  private sweepTemps(): void {
    let names: string[];
    try {
      names = readdirSync(this.stateDir);
    } catch {
      return;
    }
    for (const n of names) {
      const m = /^progress\.json\.(\d+)\.\d+\.tmp$/.exec(n) ?? /^progress\.lock\.(\d+)\.\w+$/.exec(n);
      if (m && !pidAlive(Number(m[1]))) rmSync(join(this.stateDir, n), { force: true });
    }
  }

  private writeAtomic(data: ProgressData): void {
    mkdirSync(this.stateDir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, JSON.stringify(data, null, 2) + "\n");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }

  /** Runs fn on the current data under the workspace lock and writes the result atomically. */
  update<T>(fn: (data: ProgressData, now: Date) => T): T {
    return withLock(join(this.stateDir, "progress.lock"), () => {
      this.sweepTemps();
      const data = this.read();
      const out = fn(data, this.now());
      this.writeAtomic(data);
      return out;
    });
  }

  /** The record of one module, created on first use. */
  static entry(data: ProgressData, slug: string): ModuleProgress {
    return (data.modules[slug] ??= emptyModule());
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

/** True when the lock file names a process on this machine that no longer exists (killed). */
function ownerIsGone(lockFile: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile, "utf8"));
  } catch {
    return false; // released meanwhile
  }
  return Number.isInteger(pid) && pid > 0 && !pidAlive(pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * A lock file that appears with its owner's pid already in it: the pid is written to a private temp
 * file that is then hard-linked into place (link is atomic and fails if the lock exists). A lock whose
 * owner is gone (SIGKILL) is taken over at once; any lock older than staleMs is taken over too.
 */
export function withLock<T>(lockFile: string, fn: () => T, timeoutMs = 15000, staleMs = 10000): T {
  const start = Date.now();
  mkdirSync(join(lockFile, ".."), { recursive: true });
  const mine = `${lockFile}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(mine, String(process.pid));
  try {
    for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
      try {
        linkSync(mine, lockFile);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        try {
          const st = statSync(lockFile);
          if (Date.now() - st.mtimeMs > staleMs || ownerIsGone(lockFile)) {
            // remove it only if it is still the same file (another waiter may have taken over already)
            if (statSync(lockFile).ino === st.ino) rmSync(lockFile, { force: true });
            continue;
          }
        } catch { /* released meanwhile */ }
        if (Date.now() - start > timeoutMs) throw new Error(`progress is locked by another llmdrill (${lockFile}); if none is running, remove that file`);
        sleep(wait + Math.random() * wait);
      }
    }
  } finally {
    rmSync(mine, { force: true });
  }
  try {
    return fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

/** Records a submission; stops the clock and records the time on a pass. */
export function recordAttempt(p: ModuleProgress, verdict: Verdict, now: Date, seed?: number): { elapsedMs?: number; firstPass: boolean; newBest: boolean } {
  p.attempts++;
  p.lastVerdict = verdict;
  p.lastAttemptAt = now.toISOString();
  const elapsedMs = p.clockStartedAt ? Math.max(0, now.getTime() - Date.parse(p.clockStartedAt)) : undefined;
  p.history.push({ at: now.toISOString(), verdict, seed, elapsedMs });
  if (p.history.length > HISTORY_CAP) p.history.splice(0, p.history.length - HISTORY_CAP);
  let firstPass = false, newBest = false;
  if (verdict === "accepted") {
    firstPass = p.passes === 0;
    p.passes++;
    p.passedAt = now.toISOString();
    if (elapsedMs !== undefined) {
      if (firstPass && p.startedAt) p.firstPassMs = Math.max(0, now.getTime() - Date.parse(p.startedAt));
      newBest = p.bestMs === undefined || elapsedMs < p.bestMs;
      if (newBest) p.bestMs = elapsedMs;
      p.lastMs = elapsedMs;
      p.times.push(elapsedMs);
      delete p.clockStartedAt;
    }
  }
  return { elapsedMs, firstPass, newBest };
}

/** Starts the clock (or keeps a running one: quitting and starting again resumes). */
export function startClock(p: ModuleProgress, now: Date, restart = false): { resumed: boolean } {
  p.startedAt ??= now.toISOString();
  if (p.clockStartedAt && !restart) return { resumed: true };
  p.clockStartedAt = now.toISOString();
  return { resumed: false };
}
