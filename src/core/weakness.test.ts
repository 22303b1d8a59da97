// The weakness ranking on synthetic histories, and the mock's draw that leans on it.
import { describe, expect, it } from "vitest";
import { REGISTRY } from "../registry.ts";
import { UsageError } from "./errors.ts";
import { activeMock, mockWeights, pickWeighted, refuseDuringMock } from "./mock.ts";
import { emptyModule, type ModuleProgress } from "./progress.ts";
import { rankWeakness, weakness, WEIGHTS } from "./weakness.ts";

const MIN = 60_000, DAY = 86_400_000;
const NOW = new Date("2026-03-01T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const slug = (n: number) => { const m = REGISTRY[n - 1]!; return `${String(m.number).padStart(3, "0")}-${m.id}`; };
const entry = (n: number) => REGISTRY[n - 1]!;
const passed = (over: Partial<ModuleProgress> = {}): ModuleProgress => ({ ...emptyModule(), startedAt: ago(DAY), attempts: 1, passes: 1, lastVerdict: "accepted", lastAttemptAt: ago(DAY), lastMs: 5 * MIN, bestMs: 5 * MIN, times: [5 * MIN], ...over });

describe("weakness: each signal and its reason", () => {
  const cases: [string, number, Partial<ModuleProgress>, string, number, RegExp | null][] = [
    // module, progress, signal, points, reason
    ["clean pass within target", 8, {}, "none", 0, null],
    ["not passed yet", 8, { passes: 0, attempts: 0, lastMs: undefined, times: [] }, "not-passed", WEIGHTS.notPassed, /not passed yet/],
    ["2 failed submissions", 8, { attempts: 3 }, "failures", 2, /2 failed submissions/],
    ["failures are capped", 8, { attempts: 101 }, "failures", WEIGHTS.maxFailures, /100 failed submissions/],
    ["twice the target", 8, { lastMs: 24 * MIN }, "time", 3, /24:00 vs 12 min target \(2\.0x\)/],
    ["time is capped", 8, { lastMs: 120 * MIN }, "time", WEIGHTS.maxTime, /10\.0x/],
    ["exactly the target", 8, { lastMs: 12 * MIN }, "time", 0, null],
    ["2 hints", 8, { hintsUsed: 2 }, "hints", 3, /2 hints used/],
    ["solution viewed, not passed", 8, { passes: 0, attempts: 0, solutionViewed: true }, "solution", WEIGHTS.solution, /solution viewed before passing/],
    ["solution viewed after passing", 8, { solutionViewed: true }, "solution", 0, null],
    ["30 days since practice", 8, { lastAttemptAt: ago(30 * DAY) }, "stale", 2, /30 days ago/],
    ["staleness is capped", 8, { lastAttemptAt: ago(400 * DAY) }, "stale", WEIGHTS.maxStale, /400 days ago/],
    ["13 days is not stale", 8, { lastAttemptAt: ago(13 * DAY) }, "stale", 0, null],
  ];
  for (const [what, n, over, signal, points, reason] of cases) {
    it(what, () => {
      const w = weakness(entry(n), passed(over), NOW);
      const part = w.parts.find((p) => p.signal === signal);
      if (points === 0) expect(part).toBeUndefined();
      else {
        expect(part!.points).toBe(points);
        expect(part!.reason).toMatch(reason!);
      }
      expect(w.score).toBeCloseTo(w.parts.reduce((a, p) => a + p.points, 0));
    });
  }
});

describe("rankWeakness", () => {
  it("weakest first, ties in curriculum order, never-started modules left out", () => {
    const mods: Record<string, ModuleProgress | undefined> = {
      [slug(2)]: passed(),                                             // 0
      [slug(5)]: passed({ lastMs: 45 * MIN }),                         // time 3x of 15 -> 6
      [slug(8)]: passed({ attempts: 4, hintsUsed: 1 }),                // 3 + 1.5
      [slug(9)]: { ...emptyModule(), startedAt: ago(DAY), attempts: 5, solutionViewed: true }, // 3 + 5 + 4
      [slug(11)]: passed({ attempts: 4, hintsUsed: 1 }),               // same as 8
      [slug(20)]: emptyModule(),                                       // never started
    };
    const r = rankWeakness(REGISTRY, mods, NOW);
    expect(r.map((w) => [w.number, w.score])).toEqual([[9, 12], [5, 6], [8, 4.5], [11, 4.5], [2, 0]]);
  });
  it("a new learner has nothing ranked", () => {
    expect(rankWeakness(REGISTRY, {}, NOW)).toEqual([]);
  });
});

describe("mock: the draw and the no-hint rule", () => {
  it("draws only from tiers in reach unless anyTier, weighted toward weak and due modules", () => {
    const mods = { [slug(9)]: { ...emptyModule(), startedAt: ago(DAY), attempts: 5 } };
    const w = mockWeights(REGISTRY, mods, NOW, false);
    expect(new Set(w.map((x) => REGISTRY.find((m) => slug(m.number) === x.slug)!.tier))).toEqual(new Set(["P0"]));
    expect(w.find((x) => x.slug === slug(9))!.weight).toBe(1 + 3 + 5 + 3);
    expect(w.find((x) => x.slug === slug(1))!.weight).toBe(1);
    expect(mockWeights(REGISTRY, mods, NOW, true)).toHaveLength(REGISTRY.length);
  });
  it("pickWeighted: K distinct, in curriculum order, proportional to weight", () => {
    const cands = [{ slug: "a", weight: 1 }, { slug: "b", weight: 8 }, { slug: "c", weight: 1 }];
    expect(pickWeighted(cands, 1, () => 0)).toEqual(["a"]);
    expect(pickWeighted(cands, 1, () => 0.5)).toEqual(["b"]);
    expect(pickWeighted(cands, 1, () => 0.99)).toEqual(["c"]);
    expect(pickWeighted(cands, 3, () => 0.5)).toEqual(["a", "b", "c"]);
    expect(pickWeighted(cands, 5, () => 0.5)).toHaveLength(3);
  });
  it("hint and solution are refused while a mock runs, allowed after it is finished", () => {
    const m = { id: "x", startedAt: NOW.toISOString(), deadline: NOW.toISOString(), minutes: 45, dir: "mock/x", modules: [slug(8)] };
    const data = { schema: 1, modules: {}, mocks: [m] };
    expect(activeMock(data)).toBe(m);
    expect(() => refuseDuringMock(data, "hint", new Date(NOW.getTime() - 1))).toThrow(/no hint during a mock interview \(x, until 12:00 UTC\)/);
    expect(() => refuseDuringMock(data, "hint", NOW)).toThrow(UsageError);
    expect(() => refuseDuringMock(data, "solution", NOW)).toThrow(/time ran out at 12:00 UTC, not graded yet/);
    expect(() => refuseDuringMock({ ...data, mocks: [{ ...m, finishedAt: NOW.toISOString() }] }, "hint")).not.toThrow();
    expect(() => refuseDuringMock({ schema: 1, modules: {} }, "solution")).not.toThrow();
  });
});
