// Mock interviews: which modules, the record kept in progress (apart from practice), and the rule
// that no hint or solution is shown while one runs. Pure apart from the random draw, which takes its
// random source as an argument.
import { UsageError } from "./errors.js";
import type { ModuleProgress, ProgressData } from "./progress.js";
import type { Verdict } from "./report.js";
import { plan, reach, type CurriculumEntry } from "./schedule.js";
import { rankWeakness } from "./weakness.js";

export interface MockResult {
  slug: string;
  verdict: Verdict | "missing";
  /** Accepted and saved before the deadline. */
  accepted: boolean;
  passed: number;
  total: number;
  /** Last save of the file, from the mock's start (capped at the mock's length). */
  timeUsedMs: number | null;
  /** The file was saved after the deadline (then it does not count as accepted). */
  late: boolean;
  seed?: number;
}

export interface MockRecord {
  /** Also the folder name under mock/. */
  id: string;
  startedAt: string;
  deadline: string;
  minutes: number;
  /** Relative to the workspace root. */
  dir: string;
  modules: string[];
  finishedAt?: string;
  /** "finish" (mock --finish before the deadline), "expired", "enter" (pressed Enter), "time" (countdown ran out). */
  endedBy?: "finish" | "expired" | "enter" | "time";
  results?: MockResult[];
}

export const DEFAULT_MINUTES = 45;
export const DEFAULT_COUNT = 3;

export function activeMock(data: ProgressData): MockRecord | undefined {
  const last = data.mocks?.at(-1);
  return last && !last.finishedAt ? last : undefined;
}

/** Throws the one-line usage error of `hint` and `solution` while a mock is running. */
export function refuseDuringMock(data: ProgressData, command: string, now = new Date()): void {
  const m = activeMock(data);
  if (!m) return;
  const when = Date.parse(m.deadline) > now.getTime() ? `until ${m.deadline.slice(11, 16)} UTC` : `time ran out at ${m.deadline.slice(11, 16)} UTC, not graded yet`;
  throw new UsageError(`no ${command} during a mock interview (${m.id}, ${when}); \`llmdrill mock --finish\` ends it`);
}

const slugOf = (m: { number: number; id: string }) => `${String(m.number).padStart(3, "0")}-${m.id}`;

/**
 * Weight of each candidate: 1, plus its weakness score, plus 3 when it is due for review. Candidates
 * are the modules of the tiers in reach (all modules with anyTier).
 */
export function mockWeights(curriculum: CurriculumEntry[], modules: Record<string, ModuleProgress | undefined>, now: Date, anyTier: boolean): { slug: string; weight: number }[] {
  const tiers = anyTier ? new Set(curriculum.map((m) => m.tier)) : new Set(reach(curriculum, modules));
  const weak = new Map(rankWeakness(curriculum, modules, now).map((w) => [w.slug, w.score]));
  const due = new Set(plan(curriculum, modules, now).due.map((d) => d.slug));
  return curriculum
    .filter((m) => tiers.has(m.tier))
    .map((m) => ({ slug: slugOf(m), weight: 1 + (weak.get(slugOf(m)) ?? 0) + (due.has(slugOf(m)) ? 3 : 0) }));
}

/** K distinct picks, each drawn with probability proportional to its weight; returned in curriculum order. */
export function pickWeighted(cands: { slug: string; weight: number }[], k: number, random: () => number): string[] {
  const pool = [...cands];
  const picked: string[] = [];
  while (picked.length < k && pool.length) {
    const total = pool.reduce((a, c) => a + c.weight, 0);
    let r = random() * total, i = 0;
    for (; i < pool.length - 1; i++) {
      r -= pool[i]!.weight;
      if (r < 0) break;
    }
    picked.push(pool.splice(i, 1)[0]!.slug);
  }
  const order = new Map(cands.map((c, i) => [c.slug, i]));
  return picked.sort((a, b) => order.get(a)! - order.get(b)!);
}

/** The folder name of a mock started at `now`: 2026-12-04T16-30-05Z. */
export const mockId = (now: Date) => now.toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
