import { rankWeakness } from "../core/weakness.js";
import { REGISTRY } from "../registry.js";
import { c, out, table } from "../cli/ui.js";
import { flushWarnings, store, workspace } from "./context.js";

export function weak(opts: { json?: boolean }): void {
  const ws = workspace();
  const s = store(ws);
  const data = s.read();
  flushWarnings(s);
  const now = new Date();
  const ranked = rankWeakness(REGISTRY, data.modules, now);
  if (opts.json) {
    out(JSON.stringify({ now: now.toISOString(), modules: ranked }, null, 2));
    return;
  }
  const shown = ranked.filter((w) => w.score > 0);
  if (shown.length === 0) {
    out(ranked.length ? "No weak modules: every started module passed within its target, first try, without hints." : "Nothing to judge yet: start a module with `llmdrill next`.");
    return;
  }
  out(table(
    shown.map((w) => [String(w.number).padStart(3, "0"), w.id, w.tier, c.bold(w.score.toFixed(1)), w.parts.map((p) => p.reason).join("; ")]),
    ["#", "id", "tier", "score", "why"],
  ));
  out("");
  out(c.dim(`practise the weakest: llmdrill start ${shown[0]!.id}`));
}
