// The scheduler on synthetic histories: the rating rule, FSRS reviews at timed passes, reach and the plan.
import { describe, expect, it } from "vitest";
import { REGISTRY } from "../registry.ts";
import { emptyModule, recordAttempt, startClock, type ModuleProgress } from "./progress.ts";
import { deriveRating, plan, reach, reviewCard, reviewOnSubmission, type RatingName, type RatingSignals } from "./schedule.ts";

const MIN = 60_000, DAY = 86_400_000;
const T0 = new Date("2026-01-01T09:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const slug = (n: number) => { const m = REGISTRY[n - 1]!; return `${String(m.number).padStart(3, "0")}-${m.id}`; };

describe("deriveRating: objective signals to an FSRS rating", () => {
  const base: RatingSignals = { accepted: true, elapsedMs: 8 * MIN, targetMinutes: 12, failedInSession: 0, hintsInSession: 0, solutionBeforePass: false };
  const cases: [string, Partial<RatingSignals>, RatingName][] = [
    ["not accepted", { accepted: false }, "again"],
    ["not accepted, even if fast", { accepted: false, elapsedMs: 1 * MIN }, "again"],
    ["solution viewed before passing, even if fast", { solutionBeforePass: true, elapsedMs: 1 * MIN }, "again"],
    ["3 failed submissions before the pass", { failedInSession: 3, elapsedMs: 1 * MIN }, "again"],
    ["2 failed submissions before the pass", { failedInSession: 2 }, "hard"],
    ["1 failed submission, fast", { failedInSession: 1, elapsedMs: 1 * MIN }, "hard"],
    ["a hint, fast", { hintsInSession: 1, elapsedMs: 1 * MIN }, "hard"],
    ["slower than the target by 1 ms", { elapsedMs: 12 * MIN + 1 }, "hard"],
    ["exactly the target", { elapsedMs: 12 * MIN }, "good"],
    ["within the target", {}, "good"],
    ["within target but more than 2x the best", { elapsedMs: 8 * MIN, previousBestMs: 3 * MIN }, "hard"],
    ["exactly 2x the best", { elapsedMs: 8 * MIN, previousBestMs: 4 * MIN }, "good"],
    ["exactly half the target", { elapsedMs: 6 * MIN }, "easy"],
    ["just over half the target", { elapsedMs: 6 * MIN + 1 }, "good"],
    ["no clock running", { elapsedMs: undefined }, "good"],
    ["no clock and a hint", { elapsedMs: undefined, hintsInSession: 2 }, "hard"],
    ["zero time (pasted)", { elapsedMs: 0 }, "easy"],
  ];
  for (const [what, over, want] of cases) {
    it(`${what} -> ${want}`, () => {
      const r = deriveRating({ ...base, ...over });
      expect(r.rating).toBe(want);
      expect(r.reason.length).toBeGreaterThan(0);
    });
  }
});

/** Runs a timed session: start at `startMs`, failures at the given offsets, a pass at `passMs`. */
function session(p: ModuleProgress, startMs: number, failAt: number[], passMs: number, target = 12) {
  startClock(p, at(startMs));
  for (const f of failAt) {
    const before = { clockStartedAt: p.clockStartedAt, previousBestMs: p.bestMs };
    const r = recordAttempt(p, "wrong_answer", at(f));
    expect(reviewOnSubmission(p, { accepted: false, elapsedMs: r.elapsedMs, firstPass: r.firstPass, ...before }, target, at(f))).toBeUndefined();
  }
  const before = { clockStartedAt: p.clockStartedAt, previousBestMs: p.bestMs };
  const r = recordAttempt(p, "accepted", at(passMs));
  return reviewOnSubmission(p, { accepted: true, elapsedMs: r.elapsedMs, firstPass: r.firstPass, ...before }, target, at(passMs));
}

describe("reviewOnSubmission: one FSRS review per timed session", () => {
  it("a first pass after one failure is Hard; the card is due later", () => {
    const p = emptyModule();
    const rev = session(p, 0, [2 * MIN], 5 * MIN)!;
    expect(rev.lastRating).toBe("hard");
    expect(rev.reason).toMatch(/1 failed submission/);
    expect(rev.reps).toBe(1);
    expect(Date.parse(rev.due)).toBeGreaterThan(at(5 * MIN).getTime());
  });
  it("failures of an earlier session do not count against the next", () => {
    const p = emptyModule();
    session(p, 0, [MIN, 2 * MIN, 3 * MIN], 4 * MIN);
    expect(p.review!.lastRating).toBe("again");
    const rev = session(p, 3 * DAY, [], 3 * DAY + 8 * MIN)!;
    expect(rev.lastRating).toBe("good");
    expect(rev.reps).toBe(2);
  });
  it("hints count once: only hints revealed since the last review", () => {
    const p = emptyModule();
    p.hintsUsed = 2;
    expect(session(p, 0, [], 3 * MIN)!.lastRating).toBe("hard");
    expect(session(p, 2 * DAY, [], 2 * DAY + 3 * MIN)!.lastRating).toBe("easy");
    p.hintsUsed = 3;
    expect(session(p, 9 * DAY, [], 9 * DAY + 3 * MIN)!.lastRating).toBe("hard");
  });
  it("the solution viewed before the first pass makes it Again, and is remembered", () => {
    const p = emptyModule();
    p.solutionViewed = true;
    const rev = session(p, 0, [], MIN)!;
    expect(rev.lastRating).toBe("again");
    expect(rev.solutionBeforePass).toBe(true);
    // viewing after passing is allowed: the next session is judged on its own
    expect(session(p, 2 * DAY, [], 2 * DAY + MIN)!.lastRating).toBe("easy");
    expect(p.review!.solutionBeforePass).toBe(true);
  });
  it("a pass with no clock running, or a failure, is not a review", () => {
    const p = emptyModule();
    const r = recordAttempt(p, "accepted", at(0));
    expect(reviewOnSubmission(p, { accepted: true, elapsedMs: r.elapsedMs, firstPass: r.firstPass }, 12, at(0))).toBeUndefined();
    expect(p.review).toBeUndefined();
  });
  it("slower than twice the previous best is Hard even within the target", () => {
    const p = emptyModule();
    session(p, 0, [], 2 * MIN);
    expect(session(p, 5 * DAY, [], 5 * DAY + 5 * MIN)!.lastRating).toBe("hard");
  });
});

describe("FSRS intervals", () => {
  const extra = { hintsAtReview: 0, solutionBeforePass: false };
  const interval = (r: RatingName, prev?: Parameters<typeof reviewCard>[0], now = T0) => (Date.parse(reviewCard(prev, r, "", now, extra).due) - now.getTime()) / DAY;
  it("a first review: again < hard < good < easy, in whole days", () => {
    const d = (["again", "hard", "good", "easy"] as RatingName[]).map((r) => interval(r));
    for (let i = 1; i < d.length; i++) expect(d[i]!).toBeGreaterThan(d[i - 1]!);
    for (const x of d) expect(Number.isInteger(x)).toBe(true);
  });
  it("Good on time grows the interval; Again is a lapse and shrinks it", () => {
    let card = reviewCard(undefined, "good", "", T0, extra);
    const gaps: number[] = [];
    for (let i = 0; i < 4; i++) {
      const now = new Date(card.due);
      const nextCard = reviewCard(card, "good", "", now, extra);
      gaps.push(Date.parse(nextCard.due) - now.getTime());
      card = nextCard;
    }
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
    const now = new Date(card.due);
    const lapsed = reviewCard(card, "again", "", now, extra);
    expect(lapsed.lapses).toBe(1);
    expect(Date.parse(lapsed.due) - now.getTime()).toBeLessThan(gaps.at(-1)!);
  });
  it("the stored card survives JSON", () => {
    const card = reviewCard(undefined, "good", "", T0, extra);
    const back = JSON.parse(JSON.stringify(card));
    const now = new Date(card.due);
    expect(reviewCard(back, "good", "", now, extra)).toEqual(reviewCard(card, "good", "", now, extra));
  });
});

describe("reach and the plan (clock injected)", () => {
  const passed = (when: Date): ModuleProgress => ({ ...emptyModule(), startedAt: when.toISOString(), attempts: 1, passes: 1, lastVerdict: "accepted", lastAttemptAt: when.toISOString(), passedAt: when.toISOString() });
  const p0 = REGISTRY.filter((m) => m.tier === "P0");

  it("a new learner: reach is P0 and the next module is the first of the curriculum", () => {
    const pl = plan(REGISTRY, {}, T0);
    expect(pl.reach).toEqual(["P0"]);
    expect(pl.next).toMatchObject({ kind: "new", number: 1 });
    expect(pl.fresh.every((f) => f.tier === "P0")).toBe(true);
    expect(pl.due).toEqual([]);
  });
  it("a completed tier opens the next one; a started module opens its tier", () => {
    const all: Record<string, ModuleProgress> = {};
    for (const m of p0) all[slug(m.number)] = passed(T0);
    expect(reach(REGISTRY, all)).toEqual(["P0", "P1"]);
    expect(reach(REGISTRY, { [slug(26)]: { ...emptyModule(), startedAt: T0.toISOString() } })).toEqual(["P0", "P2"]);
    const missingOne = { ...all };
    delete missingOne[slug(14)];
    expect(reach(REGISTRY, missingOne)).toEqual(["P0"]);
  });
  it("due work comes before new modules, most overdue first; unfinished and failed modules are due", () => {
    const mods: Record<string, ModuleProgress> = {
      [slug(3)]: { ...emptyModule(), startedAt: T0.toISOString(), attempts: 2, lastVerdict: "wrong_answer", lastAttemptAt: at(DAY).toISOString() },
      [slug(5)]: { ...passed(T0), lastVerdict: "runtime_error", attempts: 2, lastAttemptAt: at(2 * DAY).toISOString() },
      [slug(8)]: passed(T0),
    };
    const pl = plan(REGISTRY, mods, at(10 * DAY));
    // due: 3 at its last attempt (day 1), 8 a day after its untimed pass (day 1; tie in curriculum order), 5 at its failure (day 2)
    expect(pl.due.map((d) => [d.number, d.kind])).toEqual([[3, "unfinished"], [8, "unreviewed"], [5, "failed"]]);
    expect(pl.next).toMatchObject({ number: 3 });
    expect(pl.fresh[0]).toMatchObject({ number: 1 });
  });
  it("a review card is due at its due date, not before", () => {
    const p = emptyModule();
    session(p, 0, [], 5 * MIN);
    const due = Date.parse(p.review!.due);
    const before = plan(REGISTRY, { [slug(8)]: p }, new Date(due - 1));
    expect(before.due).toEqual([]);
    expect(before.upcoming[0]).toMatchObject({ number: 8, kind: "review" });
    expect(before.next).toMatchObject({ kind: "new", number: 1 });
    expect(plan(REGISTRY, { [slug(8)]: p }, new Date(due)).next).toMatchObject({ number: 8, kind: "review" });
  });
  it("everything passed and nothing due: no next, the soonest review is upcoming", () => {
    const mods: Record<string, ModuleProgress> = {};
    for (const m of REGISTRY) {
      const p = emptyModule();
      session(p, 0, [], 5 * MIN, m.targetMinutes);
      mods[slug(m.number)] = p;
    }
    const pl = plan(REGISTRY, mods, at(DAY / 2));
    expect(pl.next).toBeNull();
    expect(pl.fresh).toEqual([]);
    expect(pl.upcoming).toHaveLength(REGISTRY.length);
    expect(pl.reach).toEqual(["P0", "P1", "P2"]);
  });
});
