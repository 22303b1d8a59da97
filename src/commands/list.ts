import { statusOf } from "../core/progress.js";
import { moduleSlug } from "../core/paths.js";
import { REGISTRY } from "../registry.js";
import { c, duration, out, table } from "../cli/ui.js";
import { flushWarnings, store, workspace } from "./context.js";

export function listData() {
  const s = store(workspace());
  const data = s.read();
  flushWarnings(s);
  return REGISTRY.map((m) => {
    const p = data.modules[moduleSlug(m)];
    return {
      number: m.number,
      id: m.id,
      tier: m.tier,
      title: m.title,
      aliases: m.aliases,
      status: statusOf(p),
      bestMs: p?.bestMs ?? null,
      targetMinutes: m.targetMinutes,
    };
  });
}

export function list(opts: { json?: boolean }): void {
  const rows = listData();
  if (opts.json) {
    out(JSON.stringify(rows, null, 2));
    return;
  }
  const mark = { new: c.dim("new"), attempted: c.yellow("attempted"), passed: c.green("passed") };
  out(
    table(
      rows.map((r) => [String(r.number).padStart(3, "0"), r.id, r.tier, r.title, mark[r.status], r.bestMs === null ? c.dim("-") : duration(r.bestMs)]),
      ["#", "id", "tier", "title", "status", "best"],
    ),
  );
  out(c.dim(`\n${rows.length} modules. Start one with \`llmdrill start <number|id>\`.`));
}
