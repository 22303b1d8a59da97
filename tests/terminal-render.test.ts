// The terminal renderings of watch mode and `show`, read without their colour codes: every module's
// README renders with aligned tables, no Markdown markers left and its code blocks intact; the live
// area's footer cut keeps colour codes whole.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { inline, renderMarkdown } from "../src/cli/markdown.ts";
import { truncateVisible } from "../src/cli/screen.ts";
import { rowsOf } from "../src/cli/ui.ts";
import { readmePath, moduleSlug } from "../src/core/paths.ts";
import { REGISTRY } from "../src/registry.ts";

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

describe("README rendering", () => {
  for (const entry of REGISTRY) {
    it(`${moduleSlug(entry)}: headings without #, tables aligned, code blocks verbatim`, () => {
      const md = readFileSync(readmePath(entry), "utf8");
      const out = plain(renderMarkdown(md)).split("\n");
      expect(out.filter((l) => /^#{1,6} /.test(l))).toEqual([]);
      // each table: its separators line up in every row
      for (let i = 0; i < out.length; i++) {
        if (!/^ {2}\S.*│/.test(out[i]!) || (i > 0 && out[i - 1]!.includes("│"))) continue;
        const cols = (l: string) => [...l].flatMap((ch, k) => (ch === "│" || ch === "┼" ? [k] : []));
        const first = cols(out[i]!);
        for (let j = i + 1; j < out.length && /[│┼]/.test(out[j]!); j++) expect(cols(out[j]!), `table row ${j}`).toEqual(first);
      }
      // code blocks come through line for line, indented by four spaces
      const code = md.match(/```[^\n]*\n([\s\S]*?)\n```/g) ?? [];
      for (const block of code) {
        for (const line of block.split("\n").slice(1, -1)) expect(out).toContain(`    ${line}`);
      }
    });
  }

  // (with colour off, code spans keep their backticks)
  const cases: [string, string, RegExp][] = [
    ["bold around a code span", "- **`log(softmax(x))`** (mistake)", /^- `?log\(softmax\(x\)\)`? \(mistake\)$/],
    ["a code span keeps its stars", "use `x**2` here", /^use `?x\*\*2`? here$/],
    ["a link shows its target", "see [the paper](https://arxiv.org/abs/1)", /^see the paper \(https:\/\/arxiv\.org\/abs\/1\)$/],
    ["snake_case and a lone star stay", "x_i * y_j", /^x_i \* y_j$/],
  ];
  for (const [what, md, want] of cases) {
    it(what, () => expect(plain(inline(md))).toMatch(want));
  }
});

describe("the live area", () => {
  it("cuts to a visible width and keeps colour codes whole", () => {
    const s = "\x1b[1mclock\x1b[22m 1:02 \x1b[2m/ target 12 min\x1b[22m";
    for (const n of [0, 3, 5, 6, 11, 40]) {
      const cut = truncateVisible(s, n);
      expect(plain(cut)).toBe(plain(s).slice(0, n));
      expect(cut).not.toMatch(/\x1b(?!\[[0-9;]*m)/);
    }
  });
  it("counts wrapped rows", () => {
    expect(rowsOf("abc\n\nabcdef", 3)).toBe(4);
    expect(rowsOf("\x1b[31mabc\x1b[39m", 3)).toBe(1);
  });
});
