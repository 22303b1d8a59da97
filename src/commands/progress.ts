import { statusOf } from "../core/progress.js";
import { moduleSlug } from "../core/paths.js";
import { REGISTRY, TIERS } from "../registry.js";
import { c, duration, out, table } from "../cli/ui.js";
import { barCells, sparkline } from "../cli/charts.js";
import { flushWarnings, store, workspace } from "./context.js";

export function progressData() {
  const ws = workspace();
  const s = store(ws);
  const data = s.read();
  flushWarnings(s);
  const modules = REGISTRY.map((m) => {
    const p = data.modules[moduleSlug(m)];
    return {
      number: m.number,
      id: m.id,
      tier: m.tier,
      title: m.title,
      status: statusOf(p),
      attempts: p?.attempts ?? 0,
      passes: p?.passes ?? 0,
      firstPassMs: p?.firstPassMs ?? null,
      bestMs: p?.bestMs ?? null,
      lastMs: p?.lastMs ?? null,
      times: p?.times ?? [],
      hintsUsed: p?.hintsUsed ?? 0,
      solutionViewed: p?.solutionViewed ?? false,
      lastVerdict: p?.lastVerdict ?? null,
      clockRunningSince: p?.clockStartedAt ?? null,
      targetMinutes: m.targetMinutes,
      failedAttempts: p ? Math.max(0, p.attempts - p.passes) : 0,
      lastAttemptAt: p?.lastAttemptAt ?? null,
      passedAt: p?.passedAt ?? null,
      withinTarget: p?.bestMs !== undefined ? p.bestMs <= m.targetMinutes * 60_000 : null,
      /** The learner's pass times (last 12), oldest first, as ▁..█. */
      sparkline: sparkline((p?.times ?? []).slice(-12)),
      reviewDue: p?.review?.due ?? null,
      lastRating: p?.review?.lastRating ?? null,
    };
  });
  const tiers = (Object.keys(TIERS) as (keyof typeof TIERS)[]).map((t) => {
    const inTier = modules.filter((m) => m.tier === t);
    const passed = inTier.filter((m) => m.status === "passed").length;
    return { tier: t, name: TIERS[t], modules: inTier.length, passed, attempted: inTier.filter((m) => m.status === "attempted").length, percent: inTier.length ? Math.round((100 * passed) / inTier.length) : 0 };
  }).filter((t) => t.modules > 0);
  const totals = {
    modules: modules.length,
    passed: modules.filter((m) => m.status === "passed").length,
    attempted: modules.filter((m) => m.status === "attempted").length,
    attempts: modules.reduce((a, m) => a + m.attempts, 0),
    hintsUsed: modules.reduce((a, m) => a + m.hintsUsed, 0),
    failedAttempts: modules.reduce((a, m) => a + m.failedAttempts, 0),
    solutionsViewed: modules.filter((m) => m.solutionViewed).length,
    withinTarget: modules.filter((m) => m.withinTarget === true).length,
    /** Sum of every timed pass. */
    practiceMs: modules.reduce((a, m) => a + m.times.reduce((x, y) => x + y, 0), 0),
    timedPasses: modules.reduce((a, m) => a + m.times.length, 0),
    mocks: (data.mocks ?? []).filter((x) => x.finishedAt).length,
  };
  return { workspace: ws.root, modules, tiers, totals };
}

export function progress(opts: { json?: boolean }): void {
  const d = progressData();
  if (opts.json) {
    out(JSON.stringify(d, null, 2));
    return;
  }
  for (const t of d.tiers) {
    const [filled, empty] = barCells(t.passed, t.modules, 20);
    out(`${c.bold(t.tier)} ${t.name.padEnd(24)} ${c.green("█".repeat(filled))}${c.dim("░".repeat(empty))} ${t.passed}/${t.modules} ${c.dim(`${t.percent}%`)}`);
  }
  out("");
  const mark = { new: c.dim("new"), attempted: c.yellow("attempted"), passed: c.green("passed") };
  out(table(
    d.modules.map((m) => [
      String(m.number).padStart(3, "0"), m.id, mark[m.status], String(m.attempts),
      duration(m.firstPassMs ?? undefined), duration(m.bestMs ?? undefined), duration(m.lastMs ?? undefined),
      `${m.targetMinutes}m`, m.hintsUsed ? `${m.hintsUsed}/3` : "-", c.cyan(m.sparkline), m.clockRunningSince ? c.cyan("running") : "",
    ]),
    ["#", "id", "status", "attempts", "first pass", "best", "last", "target", "hints", "times", "clock"],
  ));
  out("");
  const t = d.totals;
  out(`${t.passed}/${t.modules} passed (${t.withinTarget} within target) · ${t.attempted} in progress · ${t.attempts} submissions (${t.failedAttempts} failed) · ${t.hintsUsed} hints · ${t.solutionsViewed} solutions viewed · ${duration(t.practiceMs)} timed practice · ${t.mocks} mocks`);
}
