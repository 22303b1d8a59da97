// Which started modules are weakest, and why. Pure: progress and a clock in, a ranking out.
//
// The score is a sum of parts, each capped so no single signal drowns the others:
//   not passed yet          3
//   failed submissions      1 per failed submission, at most 6
//   time against target     3 x (time / target - 1), clamped to 0..6, from the last timed pass
//                           (0 when within the target, 3 at twice it, 6 at three times or more)
//   hints                   1.5 per hint level revealed (0..3)
//   solution viewed         4 when the reference was viewed before the first pass
//   long since practised    1 per 14 days since the last submission, at most 3 (passed modules only)
// Ties go to curriculum order. Modules never started are not ranked: there is nothing to judge yet.
import type { ModuleProgress } from "./progress.js";

export interface WeaknessPart { signal: "not-passed" | "failures" | "time" | "hints" | "solution" | "stale"; points: number; reason: string }

export interface Weakness {
  slug: string;
  number: number;
  id: string;
  tier: string;
  score: number;
  parts: WeaknessPart[];
}

export const WEIGHTS = { notPassed: 3, perFailure: 1, maxFailures: 6, timeSlope: 3, maxTime: 6, perHint: 1.5, solution: 4, staleDays: 14, maxStale: 3 } as const;

const slugOf = (m: { number: number; id: string }) => `${String(m.number).padStart(3, "0")}-${m.id}`;
const round = (x: number) => Math.round(x * 100) / 100;
const mmss = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

export function weakness(m: { number: number; id: string; tier: string; targetMinutes: number }, p: ModuleProgress, now: Date): Weakness {
  const parts: WeaknessPart[] = [];
  const w = WEIGHTS;
  if (p.passes === 0) parts.push({ signal: "not-passed", points: w.notPassed, reason: "not passed yet" });
  const failed = Math.max(0, p.attempts - p.passes);
  if (failed > 0) parts.push({ signal: "failures", points: w.perFailure * Math.min(failed, w.maxFailures), reason: `${failed} failed submission${failed > 1 ? "s" : ""}` });
  if (p.lastMs !== undefined) {
    const ratio = p.lastMs / (m.targetMinutes * 60_000);
    const pts = Math.min(w.maxTime, Math.max(0, w.timeSlope * (ratio - 1)));
    if (pts > 0) parts.push({ signal: "time", points: round(pts), reason: `last time ${mmss(p.lastMs)} vs ${m.targetMinutes} min target (${ratio.toFixed(1)}x)` });
  }
  if (p.hintsUsed > 0) parts.push({ signal: "hints", points: w.perHint * p.hintsUsed, reason: `${p.hintsUsed} hint${p.hintsUsed > 1 ? "s" : ""} used` });
  const solutionBeforePass = p.solutionViewed && (p.passes === 0 || p.review?.solutionBeforePass === true);
  if (solutionBeforePass) parts.push({ signal: "solution", points: w.solution, reason: "solution viewed before passing" });
  if (p.passes > 0 && p.lastAttemptAt) {
    const days = (now.getTime() - Date.parse(p.lastAttemptAt)) / 86_400_000;
    const pts = Math.min(w.maxStale, Math.floor(days / w.staleDays));
    if (pts > 0) parts.push({ signal: "stale", points: pts, reason: `last practised ${Math.floor(days)} days ago` });
  }
  const score = round(parts.reduce((a, x) => a + x.points, 0));
  return { slug: slugOf(m), number: m.number, id: m.id, tier: m.tier, score, parts };
}

/** Every started module, weakest first (ties in curriculum order). */
export function rankWeakness(curriculum: { number: number; id: string; tier: string; targetMinutes: number }[], modules: Record<string, ModuleProgress | undefined>, now: Date): Weakness[] {
  const out: Weakness[] = [];
  for (const m of curriculum) {
    const p = modules[slugOf(m)];
    if (!p || !(p.startedAt || p.attempts > 0)) continue;
    out.push(weakness(m, p, now));
  }
  return out.sort((a, b) => b.score - a.score || a.number - b.number);
}
