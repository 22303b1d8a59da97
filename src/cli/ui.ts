// Terminal helpers: colour follows the terminal and FORCE_COLOR (chalk); NO_COLOR turns it off.
import chalk, { Chalk } from "chalk";

/** chalk 5 does not read NO_COLOR itself: a non-empty NO_COLOR (https://no-color.org) means no colour. */
export const c = process.env.NO_COLOR ? new Chalk({ level: 0 }) : chalk;
export const out = (s = "") => process.stdout.write(s + "\n");
export const err = (s = "") => process.stderr.write(s + "\n");
export const isInteractive = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);

export function duration(ms: number | undefined): string {
  if (ms === undefined) return "-";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : `${m}:${String(sec).padStart(2, "0")}`;
}

/** Pads a string that may hold colour codes to a visible width. */
export function pad(s: string, width: number): string {
  const visible = s.replace(/\x1b\[[0-9;]*m/g, "").length;
  return s + " ".repeat(Math.max(0, width - visible));
}

export function table(rows: string[][], header: string[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").replace(/\x1b\[[0-9;]*m/g, "").length)));
  const line = (r: string[]) => r.map((cell, i) => pad(cell, widths[i]!)).join("  ").trimEnd();
  return [c.bold(line(header)), ...rows.map(line)].join("\n");
}

/** How many terminal rows text takes at this width, wrapped lines included. */
export function rowsOf(text: string, columns: number): number {
  return text.split("\n").reduce((n, l) => n + Math.max(1, Math.ceil(l.replace(/\x1b\[[0-9;]*m/g, "").length / Math.max(1, columns))), 0);
}

/**
 * Prints text (returns false), or shows it through a pager (returns true) ($PAGER, else `less -R`) when stdin and stdout are terminals and the
 * text is longer than the screen (or `always`). A missing pager falls back to printing.
 */
export async function page(text: string, always = false): Promise<boolean> {
  const fits = rowsOf(text, process.stdout.columns || 80) < (process.stdout.rows || 24);
  if (!isInteractive() || (fits && !always)) {
    out(text);
    return false;
  }
  const { spawnSync } = await import("node:child_process");
  const pager = process.env.PAGER?.trim();
  const env = { ...process.env, LESS: process.env.LESS ?? "R", LV: process.env.LV ?? "-c" };
  const r = pager
    ? spawnSync("sh", ["-c", pager], { input: text + "\n", stdio: ["pipe", "inherit", "inherit"], env })
    : spawnSync("less", ["-R"], { input: text + "\n", stdio: ["pipe", "inherit", "inherit"], env });
  if (r.error || r.status === 127) {
    out(text); // no such pager
    return false;
  }
  return true;
}
