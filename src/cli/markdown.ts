// A module README for the terminal: headings bold and underlined, code coloured, tables aligned.
// Covers the Markdown the READMEs use (headings, fences, tables, lists, emphasis, code spans, links);
// formulas are already plain text in code blocks. Colour follows chalk, so NO_COLOR gives plain text.
import { c } from "./ui.js";

const ANSI = /\x1b\[[0-9;]*m/g;
export const visibleWidth = (s: string) => s.replace(ANSI, "").length;

/** Code spans, bold, italics and links of one line of text. */
export function inline(text: string): string {
  // code spans are set aside first, so that nothing inside them is touched and bold may wrap them
  const spans: string[] = [];
  const marked = text.replace(/`([^`]+)`/g, (all, code: string) => `\u0000${spans.push(c.level === 0 ? all : c.cyan(code)) - 1}\u0000`);
  return marked
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, t: string, u: string) => `${t} ${c.dim(`(${u})`)}`)
    .replace(/\*\*(.+?)\*\*/g, (_, t: string) => c.bold(t))
    .replace(/(^|[\s(])\*([^*\s][^*]*?)\*(?=[\s.,;:)!?]|$)/g, (_, pre: string, t: string) => pre + c.italic(t))
    .replace(/\u0000(\d+)\u0000/g, (_, i: string) => spans[Number(i)]!);
}

const cells = (row: string) =>
  row.trim().replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/).map((x) => inline(x.trim().replace(/\\\|/g, "|")));

function table(rows: string[]): string[] {
  const isRule = (r: string) => /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(r);
  const header = cells(rows[0]!);
  const body = rows.slice(1).filter((r) => !isRule(r)).map(cells);
  const n = Math.max(header.length, ...body.map((r) => r.length));
  const widths = Array.from({ length: n }, (_, i) => Math.max(visibleWidth(header[i] ?? ""), ...body.map((r) => visibleWidth(r[i] ?? ""))));
  const line = (r: string[]) => "  " + widths.map((w, i) => (r[i] ?? "") + " ".repeat(w - visibleWidth(r[i] ?? ""))).join("  │  ").trimEnd();
  return [line(header.map((h) => c.bold(h))), "  " + widths.map((w) => "─".repeat(w)).join("──┼──"), ...body.map(line)];
}

/** The README rendered for a terminal. */
export function renderMarkdown(md: string): string {
  const src = md.replace(/\r\n/g, "\n").split("\n");
  const out: string[] = [];
  const plain = c.level === 0;
  for (let i = 0; i < src.length; i++) {
    const line = src[i]!;
    const fence = /^(\s*)(```|~~~)/.exec(line);
    if (fence) {
      // a code block: kept verbatim (formulas live here), indented and coloured
      let j = i + 1;
      while (j < src.length && !src[j]!.trimStart().startsWith(fence[2]!)) out.push("    " + c.yellow(src[j++]!));
      i = j;
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      const level = h[1]!.length;
      const text = h[2]!.replace(/\s+#+\s*$/, "");
      const shown = level <= 2 ? c.bold.underline(inline(text)) : c.bold(inline(text));
      out.push(shown);
      if (plain && level <= 2) out.push((level === 1 ? "=" : "-").repeat(visibleWidth(inline(text))));
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const rows: string[] = [];
      let j = i;
      while (j < src.length && /^\s*\|/.test(src[j]!)) rows.push(src[j++]!);
      out.push(...table(rows));
      i = j - 1;
      continue;
    }
    if (/^\s*>\s?/.test(line)) {
      out.push(c.dim("  │ ") + inline(line.replace(/^\s*>\s?/, "")));
      continue;
    }
    const item = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (item) {
      out.push(`${item[1]}• ${inline(item[2]!)}`);
      continue;
    }
    if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      out.push(c.dim("─".repeat(40)));
      continue;
    }
    out.push(inline(line));
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd();
}
