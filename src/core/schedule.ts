// Spaced review with FSRS (ts-fsrs), rated from what the learner did, never from a self-rating.
// Pure: takes progress and a clock, returns data. The card lives in progress as `review`.
//
// When is a card reviewed? At the first accepted submission of a timed session (a session runs from
// `llmdrill start` to the pass that stops the clock). Untimed passes (no clock running) and later
// resubmissions are not reviews. A failed submission does not move the card, but makes the module due
// now ("last submission failed") until it passes again.
//
// The rating (deriveRating), first rule that applies:
//   Again  not accepted; or the solution was viewed before the first pass; or 3+ failed submissions
//          in the session before the pass
//   Hard   1-2 failed submissions in the session; or a hint revealed since the last review; or slower
//          than the module's target time; or more than twice the learner's previous best
//   Good   no time known (untimed), or within the target
//   Easy   at most half the target, no failed submission and no hint in the session
//
// Reach: the tiers up to and including the first tier not yet completed (every module passed), plus
// any tier in which the learner has started a module. New modules are suggested only from tiers in
// reach, in curriculum order, and only when nothing is due.
import { createEmptyCard, fsrs, Rating, type Card, type Grade } from "ts-fsrs";
import type { ModuleProgress } from "./progress.js";

export type RatingName = "again" | "hard" | "good" | "easy";

/** The FSRS card as stored in progress.json (dates as ISO strings), plus what the rating came from. */
export interface ReviewCard {
  due: string;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview?: string;
  lastRating: RatingName;
  /** Why that rating, in words ("within the 12 min target"). */
  reason: string;
  /** Hint level at the last review: hints revealed since then count against the next one. */
  hintsAtReview: number;
  /** The reference was viewed before the first pass (set once, at the first review). */
  solutionBeforePass: boolean;
}

export interface RatingSignals {
  accepted: boolean;
  /** Clock time of this pass; undefined when no clock was running. */
  elapsedMs?: number;
  targetMinutes: number;
  /** Best time before this pass. */
  previousBestMs?: number;
  /** Failed submissions in this session, before this one. */
  failedInSession: number;
  /** Hints revealed since the last review (or ever, at the first). */
  hintsInSession: number;
  solutionBeforePass: boolean;
}

export const SLOW_VS_BEST = 2;
export const EASY_SHARE = 0.5;
export const AGAIN_FAILURES = 3;

export function deriveRating(s: RatingSignals): { rating: RatingName; reason: string } {
  const target = s.targetMinutes * 60_000;
  if (!s.accepted) return { rating: "again", reason: "not passed" };
  if (s.solutionBeforePass) return { rating: "again", reason: "solution viewed before passing" };
  if (s.failedInSession >= AGAIN_FAILURES) return { rating: "again", reason: `${s.failedInSession} failed submissions before the pass` };
  if (s.failedInSession > 0) return { rating: "hard", reason: `${s.failedInSession} failed submission${s.failedInSession > 1 ? "s" : ""} before the pass` };
  if (s.hintsInSession > 0) return { rating: "hard", reason: `${s.hintsInSession} hint${s.hintsInSession > 1 ? "s" : ""} used` };
  if (s.elapsedMs === undefined) return { rating: "good", reason: "passed (no clock running)" };
  if (s.elapsedMs > target) return { rating: "hard", reason: `slower than the ${s.targetMinutes} min target` };
  if (s.previousBestMs !== undefined && s.elapsedMs > SLOW_VS_BEST * s.previousBestMs) return { rating: "hard", reason: `more than ${SLOW_VS_BEST}x your best time` };
  if (s.elapsedMs <= EASY_SHARE * target) return { rating: "easy", reason: `within half the ${s.targetMinutes} min target, first try, no hints` };
  return { rating: "good", reason: `within the ${s.targetMinutes} min target` };
}

const GRADE: Record<RatingName, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };

// Days, not minutes: a drill is practised once a day at most, so no short-term learning steps; no
// fuzz, so a schedule is reproducible.
const scheduler = () => fsrs({ enable_short_term: false, enable_fuzz: false });

function toCard(r: ReviewCard | undefined, now: Date): Card {
  if (!r) return createEmptyCard(now);
  return {
    due: new Date(r.due), stability: r.stability, difficulty: r.difficulty, elapsed_days: r.elapsedDays,
    scheduled_days: r.scheduledDays, learning_steps: r.learningSteps, reps: r.reps, lapses: r.lapses, state: r.state,
    ...(r.lastReview ? { last_review: new Date(r.lastReview) } : {}),
  };
}

/** One FSRS review of the card with the given rating at `now`. */
export function reviewCard(prev: ReviewCard | undefined, rating: RatingName, reason: string, now: Date, extra: { hintsAtReview: number; solutionBeforePass: boolean }): ReviewCard {
  const { card } = scheduler().next(toCard(prev, now), now, GRADE[rating]);
  return {
    due: card.due.toISOString(), stability: card.stability, difficulty: card.difficulty, elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days, learningSteps: card.learning_steps, reps: card.reps, lapses: card.lapses, state: card.state,
    lastReview: (card.last_review ?? now).toISOString(), lastRating: rating, reason,
    hintsAtReview: extra.hintsAtReview, solutionBeforePass: extra.solutionBeforePass,
  };
}

/**
 * Called after recordAttempt, in the same locked update. `clockStartedAt` is the clock's start as it was
 * before the submission (recordAttempt clears it on a pass). Returns the review, or undefined when this
 * submission is not a review.
 */
export function reviewOnSubmission(p: ModuleProgress, sub: { accepted: boolean; elapsedMs?: number; clockStartedAt?: string; previousBestMs?: number; firstPass: boolean }, targetMinutes: number, now: Date): ReviewCard | undefined {
  if (!sub.accepted || sub.elapsedMs === undefined || !sub.clockStartedAt) return undefined;
  const since = Date.parse(sub.clockStartedAt);
  const failedInSession = p.history.filter((a) => a.verdict !== "accepted" && Date.parse(a.at) >= since).length;
  const hintsInSession = Math.max(0, p.hintsUsed - (p.review?.hintsAtReview ?? 0));
  const solutionBeforePass = p.review?.solutionBeforePass ?? (sub.firstPass && p.solutionViewed);
  const { rating, reason } = deriveRating({
    accepted: true, elapsedMs: sub.elapsedMs, targetMinutes, previousBestMs: sub.previousBestMs,
    failedInSession, hintsInSession, solutionBeforePass: sub.firstPass && p.solutionViewed,
  });
  p.review = reviewCard(p.review, rating, reason, now, { hintsAtReview: p.hintsUsed, solutionBeforePass });
  return p.review;
}

// ---- what to practise ----

export interface CurriculumEntry { number: number; id: string; tier: string; targetMinutes: number }

export type DueKind = "unfinished" | "failed" | "review" | "unreviewed";

export interface DueItem {
  slug: string;
  number: number;
  id: string;
  tier: string;
  kind: DueKind;
  /** When it is (or was) due. */
  due: string;
  why: string;
}

export interface NewItem { slug: string; number: number; id: string; tier: string; kind: "new"; why: string }

export interface Plan {
  now: string;
  reach: string[];
  /** Due now, most overdue first. */
  due: DueItem[];
  /** Not due yet, soonest first. */
  upcoming: DueItem[];
  /** Never-started modules in reach, in curriculum order. */
  fresh: { slug: string; number: number; id: string; tier: string }[];
  /** What to practise now: the most overdue due item, else the first fresh module, else null. */
  next: DueItem | NewItem | null;
}

const slugOf = (m: { number: number; id: string }) => `${String(m.number).padStart(3, "0")}-${m.id}`;
const DAY = 86_400_000;

/** Tiers up to the first one not completed, plus every tier with a started module; in curriculum order. */
export function reach(curriculum: CurriculumEntry[], modules: Record<string, ModuleProgress | undefined>): string[] {
  const tiers = [...new Set(curriculum.map((m) => m.tier))];
  const out = new Set<string>();
  for (const t of tiers) {
    out.add(t);
    if (!curriculum.filter((m) => m.tier === t).every((m) => (modules[slugOf(m)]?.passes ?? 0) > 0)) break;
  }
  for (const m of curriculum) {
    const p = modules[slugOf(m)];
    if (p && (p.startedAt || p.attempts > 0)) out.add(m.tier);
  }
  return tiers.filter((t) => out.has(t));
}

/** Where a started module stands in the schedule (undefined for a module never started). */
export function dueItem(m: CurriculumEntry, p: ModuleProgress | undefined): DueItem | undefined {
  if (!p || !(p.startedAt || p.attempts > 0)) return undefined;
  const base = { slug: slugOf(m), number: m.number, id: m.id, tier: m.tier };
  if (p.passes === 0) {
    return { ...base, kind: "unfinished", due: p.lastAttemptAt ?? p.startedAt ?? new Date(0).toISOString(), why: p.attempts ? `not passed yet (${p.attempts} submission${p.attempts > 1 ? "s" : ""})` : "started, not submitted" };
  }
  if (p.lastVerdict && p.lastVerdict !== "accepted") {
    return { ...base, kind: "failed", due: p.lastAttemptAt ?? new Date(0).toISOString(), why: `last submission failed (${p.lastVerdict})` };
  }
  if (p.review) return { ...base, kind: "review", due: p.review.due, why: `review (last rated ${p.review.lastRating}: ${p.review.reason})` };
  // Passed without a timed session (no clock): review a day after the pass.
  const passed = Date.parse(p.passedAt ?? p.lastAttemptAt ?? new Date(0).toISOString());
  return { ...base, kind: "unreviewed", due: new Date(passed + DAY).toISOString(), why: "passed without a timed run: time it once" };
}

export function plan(curriculum: CurriculumEntry[], modules: Record<string, ModuleProgress | undefined>, now: Date): Plan {
  const r = reach(curriculum, modules);
  const items = curriculum.map((m) => dueItem(m, modules[slugOf(m)])).filter((x): x is DueItem => x !== undefined);
  const byDue = (a: DueItem, b: DueItem) => Date.parse(a.due) - Date.parse(b.due) || a.number - b.number;
  const due = items.filter((x) => Date.parse(x.due) <= now.getTime()).sort(byDue);
  const upcoming = items.filter((x) => Date.parse(x.due) > now.getTime()).sort(byDue);
  const fresh = curriculum
    .filter((m) => r.includes(m.tier) && dueItem(m, modules[slugOf(m)]) === undefined)
    .map((m) => ({ slug: slugOf(m), number: m.number, id: m.id, tier: m.tier }));
  let next: Plan["next"] = null;
  if (due[0]) next = due[0];
  else if (fresh[0]) next = { ...fresh[0], kind: "new", why: `next new module in tier ${fresh[0].tier} (nothing is due)` };
  return { now: now.toISOString(), reach: r, due, upcoming, fresh, next };
}
