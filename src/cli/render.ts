// The terminal rendering of a grading report (the other rendering is --json).
import { fmt } from "../core/compare.js";
import { VERDICT_TEXT, type Report } from "../core/report.js";
import { c, duration } from "./ui.js";

export interface ClockNote { elapsedMs?: number; firstPass: boolean; newBest: boolean; bestMs?: number; targetMinutes: number; recorded: boolean; review?: { rating: string; reason: string; due: string } }

function valueText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === "number" ? fmt(x) : String(x))).join(", ")}]`;
  return typeof v === "number" ? fmt(v) : JSON.stringify(v);
}

export function renderReport(r: Report, id: string, clock?: ClockNote): string {
  const ok = r.verdict === "accepted";
  const head = ok ? c.green.bold(`✓ ${VERDICT_TEXT[r.verdict]}`) : c.red.bold(`✗ ${VERDICT_TEXT[r.verdict]}`);
  const fixtures = r.cases.filter((x) => x.source === "fixture").length;
  const lines = [`${head}  ${c.bold(`${r.module}`)}  ${c.dim(`${r.passed}/${r.total} cases (${fixtures} fixed, ${r.total - fixtures} random) · ${Math.round(r.timing.totalMs)} ms`)}`];
  const f = r.failure;
  if (f) {
    if (f.case) lines.push(`  ${c.bold("case:")} ${f.case}${f.source === "random" ? c.dim(" (random)") : ""}`);
    if (f.fn && f.inputs) {
      const args = f.inputs.map((a) => (a.shape ? `${a.name}[${a.shape.join(",")}]` : `${a.name}=${valueText(a.value)}`));
      lines.push(`  ${c.bold("call:")} ${f.fn}(${args.join(", ")})`);
      for (const a of f.inputs) if (a.shape && a.value !== undefined) lines.push(c.dim(`        ${a.name} = ${valueText(a.value)}`));
    }
    lines.push(`  ${c.yellow(f.message)}`);
    if (f.mismatches?.length) {
      const name = f.path ? f.path : "out";
      for (const m of f.mismatches) lines.push(`    ${name}${m.index}: got ${c.red(fmt(m.got))}, want ${c.green(fmt(m.want))}${Number.isFinite(m.absErr) ? c.dim(`  (abs error ${fmt(m.absErr)})`) : ""}`);
    }
    if (f.location) {
      lines.push(`  ${c.bold("at")} ${f.location.file}:${f.location.line}:${f.location.column}`);
      if (f.location.frame) lines.push(f.location.frame.split("\n").map((l) => "    " + l).join("\n"));
    }
    if (f.mistake) {
      lines.push(`  ${c.magenta.bold("Known mistake:")} ${c.magenta(f.mistake.title)}`);
      lines.push(`    ${f.mistake.lesson}`);
    }
  }
  if (r.stdout) {
    const shown = r.stdout.trimEnd().split("\n").slice(0, 12);
    lines.push(c.dim("  your code printed:"), ...shown.map((l) => c.dim("    | " + l)));
  }
  if (!ok && r.verdict !== "compile_error") lines.push(c.dim(`  seed ${r.seed} · replay with: llmdrill submit ${id} --seed ${r.seed}`));
  if (!ok) lines.push(c.dim(`  stuck? llmdrill hint ${id}`));
  if (ok && clock) {
    if (clock.elapsedMs !== undefined) {
      const target = clock.targetMinutes * 60000;
      const vs = clock.elapsedMs <= target ? c.green(`within the ${clock.targetMinutes} min target`) : c.yellow(`target ${clock.targetMinutes} min`);
      lines.push(`  time ${c.bold(duration(clock.elapsedMs))} · ${vs}${clock.newBest && !clock.firstPass ? c.green(" · new best") : ""}${clock.bestMs !== undefined ? c.dim(` · best ${duration(clock.bestMs)}`) : ""}`);
    } else if (clock.recorded) {
      lines.push(c.dim(`  no clock was running (\`llmdrill start ${id}\` starts a timed run)`));
    }
    if (clock.review) lines.push(c.dim(`  review rated ${clock.review.rating} (${clock.review.reason}) · next review ${clock.review.due.slice(0, 10)}`));
    lines.push(c.dim(`  compare with the reference: llmdrill solution ${id} · all modules: llmdrill progress`));
  }
  if (clock && !clock.recorded) lines.push(c.dim("  (not recorded: this folder is not an llmdrill workspace; `llmdrill start` sets one up)"));
  return lines.join("\n");
}
