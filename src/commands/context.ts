// What every command needs: the workspace, the progress store, a module by name.
import { existsSync } from "node:fs";
import { ProgressStore } from "../core/progress.js";
import { findWorkspace, type Workspace } from "../core/workspace.js";
import { err, isInteractive } from "../cli/ui.js";
import { REGISTRY, resolveModule, type RegistryEntry } from "../registry.js";
import { UsageError } from "../core/errors.js";

export function workspace(): Workspace {
  const ws = findWorkspace();
  if (process.env.LLMDRILL_WORKSPACE && existsSync(ws.root) === false) {
    throw new UsageError(`LLMDRILL_WORKSPACE points to ${ws.root}, which does not exist`);
  }
  return ws;
}

export function store(ws: Workspace): ProgressStore {
  return new ProgressStore(ws.stateDir);
}

/** Prints what the store had to report (a progress file moved aside). */
export function flushWarnings(s: ProgressStore): void {
  for (const w of s.warnings.splice(0)) err(`llmdrill: warning: ${w}`);
}

export function moduleArg(name: string | undefined, command: string): RegistryEntry {
  if (!name) throw new UsageError(`${command} needs a module: \`llmdrill ${command} <module>\` (see \`llmdrill list\`)`);
  return resolveModule(name);
}

/**
 * The module named on the command line, else one picked from a list on a terminal (undefined when the
 * learner cancels the picker). Without a terminal it is a usage error: nothing ever waits for input.
 */
export async function moduleOrPick(name: string | undefined, command: string, message: string): Promise<RegistryEntry | undefined> {
  if (name) return resolveModule(name);
  if (!isInteractive()) {
    throw new UsageError(`missing required argument 'module': \`llmdrill ${command} <module>\` (see \`llmdrill list\`; on a terminal, \`llmdrill ${command}\` alone opens a picker)`);
  }
  const s = store(workspace());
  const modules = s.read().modules;
  flushWarnings(s);
  const { pickModule } = await import("../cli/pick.js");
  const entry = await pickModule(message, REGISTRY, modules);
  if (!entry) process.exitCode = 130;
  return entry;
}
