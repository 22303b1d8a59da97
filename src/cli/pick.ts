// The module picker of `start`, `show` and `hint` run without a module, on a terminal.
import { statusOf, type ModuleProgress } from "../core/progress.js";
import { moduleSlug } from "../core/paths.js";
import type { RegistryEntry } from "../registry.js";
import { c, duration, pad } from "./ui.js";

const MARK = { new: c.dim("new"), attempted: c.yellow("attempted"), passed: c.green("passed") };

/** Asks for a module; undefined when the learner cancels (Ctrl-C, Esc). */
export async function pickModule(message: string, registry: RegistryEntry[], progress: Record<string, ModuleProgress | undefined>): Promise<RegistryEntry | undefined> {
  const idWidth = Math.max(...registry.map((m) => m.id.length));
  const choices = registry.map((m) => {
    const p = progress[moduleSlug(m)];
    const status = statusOf(p);
    const extra = p?.clockStartedAt ? c.cyan("clock running") : p?.bestMs !== undefined ? c.dim(`best ${duration(p.bestMs)}`) : "";
    return {
      value: m,
      name: `${String(m.number).padStart(3, "0")}  ${pad(m.id, idWidth)}  ${m.tier}  ${pad(MARK[status], 9)}  ${extra}`.trimEnd(),
      short: `${moduleSlug(m)}`,
      description: `${m.title} · target ${m.targetMinutes} min`,
    };
  });
  // the module with a running clock, else the first one not passed yet
  const running = registry.find((m) => progress[moduleSlug(m)]?.clockStartedAt);
  const fallback = registry.find((m) => statusOf(progress[moduleSlug(m)]) !== "passed") ?? registry[0];
  const { select } = await import("@inquirer/prompts");
  try {
    return await select({ message, choices, default: running ?? fallback, pageSize: Math.max(5, Math.min(15, (process.stdout.rows || 24) - 6)), loop: false });
  } catch (e) {
    if ((e as Error)?.name === "ExitPromptError" || (e as Error)?.name === "AbortPromptError") return undefined;
    throw e;
  }
}
