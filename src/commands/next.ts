import { plan, type DueItem, type Plan } from "../core/schedule.js";
import { REGISTRY } from "../registry.js";
import { c, out, table } from "../cli/ui.js";
import { flushWarnings, store, workspace } from "./context.js";

function when(iso: string, now: Date): string {
  const d = (Date.parse(iso) - now.getTime()) / 86_400_000;
  if (d <= 0) return d > -1 ? "now" : `overdue ${Math.floor(-d)}d`;
  if (d < 1) return `in ${Math.max(1, Math.round(d * 24))}h`;
  return `in ${Math.round(d)}d (${iso.slice(0, 10)})`;
}

export function next(opts: { list?: boolean; json?: boolean }): void {
  const ws = workspace();
  const s = store(ws);
  const data = s.read();
  flushWarnings(s);
  const now = new Date();
  const p: Plan = plan(REGISTRY, data.modules, now);
  if (opts.json) {
    out(JSON.stringify(opts.list ? p : { now: p.now, reach: p.reach, next: p.next }, null, 2));
    return;
  }
  if (opts.list) {
    const row = (x: DueItem) => [String(x.number).padStart(3, "0"), x.id, x.tier, when(x.due, now), x.why];
    out(c.bold(`Due now (${p.due.length})`));
    if (p.due.length) out(table(p.due.map(row), ["#", "id", "tier", "when", "why"]));
    out("");
    out(c.bold(`Coming up (${p.upcoming.length})`));
    if (p.upcoming.length) out(table(p.upcoming.map(row), ["#", "id", "tier", "when", "why"]));
    out("");
    out(c.bold(`New in reach (tiers ${p.reach.join(", ")}): ${p.fresh.length}`));
    if (p.fresh.length) out(`  ${p.fresh.slice(0, 5).map((f) => f.id).join(", ")}${p.fresh.length > 5 ? ", ..." : ""}`);
    return;
  }
  if (!p.next) {
    const soon = p.upcoming[0];
    out(soon ? `Nothing is due. Next review: ${soon.id} ${when(soon.due, now)}.` : "Nothing is due and every module is passed.");
    return;
  }
  out(`${c.bold(p.next.id)} ${c.dim(`(${String(p.next.number).padStart(3, "0")}, ${p.next.tier})`)}: ${p.next.why}`);
  out(c.dim(`llmdrill start ${p.next.id}`));
}
