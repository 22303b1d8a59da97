import { statusOf } from "../core/progress.js";
import { moduleSlug } from "../core/paths.js";
import { REGISTRY, TIERS } from "../registry.js";
import { c, duration, out, table } from "../cli/ui.js";
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
    };
  });
  const tiers = (Object.keys(TIERS) as (keyof typeof TIERS)[]).map((t) => {
    const inTier = modules.filter((m) => m.tier === t);
    return { tier: t, name: TIERS[t], modules: inTier.length, passed: inTier.filter((m) => m.status === "passed").length };
  }).filter((t) => t.modules > 0);
  const totals = {
    modules: modules.length,
    passed: modules.filter((m) => m.status === "passed").length,
    attempted: modules.filter((m) => m.status === "attempted").length,
    attempts: modules.reduce((a, m) => a + m.attempts, 0),
    hintsUsed: modules.reduce((a, m) => a + m.hintsUsed, 0),
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
    const width = 20, filled = Math.round((t.passed / t.modules) * width);
    out(`${c.bold(t.tier)} ${t.name.padEnd(24)} ${c.green("█".repeat(filled))}${c.dim("░".repeat(width - filled))} ${t.passed}/${t.modules}`);
  }
  out("");
  const mark = { new: c.dim("new"), attempted: c.yellow("attempted"), passed: c.green("passed") };
  out(table(
    d.modules.map((m) => [
      String(m.number).padStart(3, "0"), m.id, mark[m.status], String(m.attempts),
      duration(m.firstPassMs ?? undefined), duration(m.bestMs ?? undefined), duration(m.lastMs ?? undefined),
      `${m.targetMinutes}m`, m.hintsUsed ? `${m.hintsUsed}/3` : "-", m.clockRunningSince ? c.cyan("running") : "",
    ]),
    ["#", "id", "status", "attempts", "first pass", "best", "last", "target", "hints", "clock"],
  ));
  out("");
  out(`${d.totals.passed}/${d.totals.modules} passed · ${d.totals.attempts} submissions · ${d.totals.hintsUsed} hints`);
}
