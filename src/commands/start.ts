import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ProgressStore, startClock, statusOf } from "../core/progress.js";
import { moduleSlug, templatePath } from "../core/paths.js";
import { drillPath, ensureWorkspace, type Workspace } from "../core/workspace.js";
import { loadSpec, type RegistryEntry } from "../registry.js";
import { c, duration, isInteractive, out } from "../cli/ui.js";
import { flushWarnings, moduleArg, moduleOrPick, store, workspace } from "./context.js";
import type { ModuleSpec } from "../core/types.js";

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

/** Copies the learner's file to .llmdrill/backups before it is replaced: nothing is lost. */
function backup(ws: Workspace, file: string, slug: string): string {
  const dir = join(ws.stateDir, "backups");
  mkdirSync(dir, { recursive: true });
  const dest = join(dir, `${slug}-${stamp()}.ts`);
  copyFileSync(file, dest);
  return dest;
}

async function confirm(message: string): Promise<boolean> {
  if (!isInteractive()) return false;
  const { confirm: ask } = await import("@inquirer/prompts");
  try {
    return await ask({ message, default: false });
  } catch {
    return false; // Ctrl-C at the prompt
  }
}

export function brief(spec: ModuleSpec, file: string): string {
  const rel = relative(process.cwd(), file) || file;
  const lines = [
    c.bold(`${String(spec.number).padStart(3, "0")} ${spec.title}`) + c.dim(`  (tier ${spec.tier}, target ${spec.targetMinutes} min)`),
    "",
    spec.summary,
    "",
    c.bold("Write:"),
    ...spec.functions.map((f) => `  ${c.cyan(f.signature)}\n      ${f.doc}`),
    "",
    `${c.bold("Tolerance:")} ${spec.toleranceText}  (|got - want| <= atol + rtol * |want|)`,
    `${c.bold("Graded against:")} ${spec.oracleText}`,
    "",
    `${c.bold("Your file:")} ${rel}`,
    `${c.bold("Submit:")}    llmdrill submit ${spec.id}      ${c.dim(`stuck? llmdrill hint ${spec.id} · the theory: llmdrill show ${spec.id}`)}`,
  ];
  return lines.join("\n");
}

export async function start(name: string | undefined, opts: { force?: boolean; watch?: boolean }): Promise<void> {
  const entry = await moduleOrPick(name, "start", "Which module do you want to drill?");
  if (!entry) return;
  const ws = workspace();
  ensureWorkspace(ws);
  const slug = moduleSlug(entry);
  const file = drillPath(ws, entry);
  const template = readFileSync(templatePath(entry), "utf8");
  const s = store(ws);
  const p = s.read().modules[slug];
  flushWarnings(s);
  const rel = relative(process.cwd(), file) || file;

  let writeBlank = !existsSync(file);
  let restartClock = false;
  let startClockNow = true;
  if (!writeBlank && readFileSync(file, "utf8") !== template) {
    const passedBefore = statusOf(p) === "passed" && !p?.clockStartedAt;
    if (opts.force) {
      writeBlank = true;
      restartClock = true;
    } else if (passedBefore) {
      if (await confirm(`You passed ${entry.id} before. Start a new timed run from the blank template? (your file goes to .llmdrill/backups)`)) {
        writeBlank = true;
        restartClock = true;
      } else {
        startClockNow = false;
        out(c.yellow(`${rel} holds your passing solution; it was kept and no clock was started.`));
        out(`For a new timed run from the blank template: llmdrill start ${entry.id} --force (your file is backed up first).`);
      }
    } else {
      out(c.dim(`${rel} has your edits; kept it (\`--force\` starts over from the blank template, backing yours up).`));
    }
  }
  if (writeBlank) {
    if (existsSync(file)) out(c.dim(`your previous file was saved to ${relative(process.cwd(), backup(ws, file, slug))}`));
    writeFileSync(file, template);
  }

  let resumed = false;
  if (startClockNow) {
    resumed = s.update((data, now) => startClock(ProgressStore.entry(data, slug), now, restartClock)).resumed;
    flushWarnings(s);
  }
  const spec = await loadSpec(entry as RegistryEntry);
  const text = brief(spec, file);
  out(text);
  const cur = s.read().modules[slug];
  if (startClockNow) {
    const ran = cur?.clockStartedAt ? Date.now() - Date.parse(cur.clockStartedAt) : 0;
    out("");
    out(resumed ? c.green(`Clock resumed: ${duration(ran)} so far.`) : c.green("Clock started."));
  }
  // on a terminal, keep running: live clock, a grade on every save; otherwise return at once
  if (opts.watch !== false && isInteractive()) {
    const { watch } = await import("./watch.js");
    await watch({ entry, spec, ws, file, brief: text, clockStartedAt: cur?.clockStartedAt });
  }
}

export async function reset(name: string): Promise<void> {
  const entry = moduleArg(name, "reset");
  const ws = workspace();
  ensureWorkspace(ws);
  const slug = moduleSlug(entry);
  const file = drillPath(ws, entry);
  const template = readFileSync(templatePath(entry), "utf8");
  const rel = relative(process.cwd(), file) || file;
  if (existsSync(file) && readFileSync(file, "utf8") !== template) {
    out(`your file was saved to ${relative(process.cwd(), backup(ws, file, slug))}`);
  }
  writeFileSync(file, template);
  const s = store(ws);
  s.update((data) => {
    const p = data.modules[slug];
    if (p) delete p.clockStartedAt;
  });
  flushWarnings(s);
  out(`${rel} is the blank template again and the clock is stopped. \`llmdrill start ${entry.id}\` starts a new timed run.`);
}
