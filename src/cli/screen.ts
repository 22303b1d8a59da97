// The live area of watch mode: a body (the verdict) and a one-row footer (clock and keys) at the
// bottom of the terminal, redrawn in place. Text printed above it (hints) stays in the scrollback.
import { rowsOf } from "./ui.js";

const ESC = "\x1b[";
const ANSI = /\x1b\[[0-9;]*m/y;

/** Cuts a string that may hold colour codes to at most n visible characters. */
export function truncateVisible(s: string, n: number): string {
  let out = "", seen = 0;
  for (let i = 0; i < s.length; ) {
    ANSI.lastIndex = i;
    const m = ANSI.exec(s);
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (seen === n) return out + `${ESC}0m`;
    out += s[i++];
    seen++;
  }
  return out;
}

export class LiveArea {
  private body = "";
  private footer = "";
  /** Terminal rows of the drawn body; the cursor sits on the footer row. */
  private bodyRows = 0;
  private drawn = false;

  constructor(private readonly w: NodeJS.WriteStream, private readonly header: string) {}

  private get cols(): number {
    return this.w.columns || 80;
  }

  /** The body cut to what fits above the footer, so that a redraw can always reach its top. */
  private fitBody(body: string): string {
    const max = Math.max(3, (this.w.rows || 24) - 2);
    if (rowsOf(body, this.cols) <= max) return body;
    const lines = body.split("\n");
    const kept: string[] = [];
    let used = 1;
    for (const l of lines) {
      const r = rowsOf(l, this.cols);
      if (used + r > max) break;
      kept.push(l);
      used += r;
    }
    return [...kept, `… ${lines.length - kept.length} more lines (the whole report: llmdrill submit)`].join("\n");
  }

  private erase(): string {
    if (!this.drawn) return "";
    return "\r" + (this.bodyRows > 0 ? `${ESC}${this.bodyRows}A` : "") + `${ESC}J`;
  }

  private paint(): string {
    const body = this.body ? this.fitBody(this.body) : "";
    this.bodyRows = body ? rowsOf(body, this.cols) : 0;
    this.drawn = true;
    return (body ? body + "\n" : "") + truncateVisible(this.footer, this.cols - 1);
  }

  /** Redraws body and footer in place. */
  render(body: string, footer: string): void {
    this.body = body;
    this.footer = footer;
    this.w.write(`${ESC}?25l` + this.erase() + this.paint());
  }

  /** Rewrites the footer row alone (the clock tick). */
  setFooter(footer: string): void {
    if (footer === this.footer && this.drawn) return;
    this.footer = footer;
    if (this.drawn) this.w.write(`\r${ESC}2K` + truncateVisible(footer, this.cols - 1));
  }

  /** Prints text above the area (it stays in the scrollback) and draws the area again below it. */
  print(text: string): void {
    this.w.write(this.erase() + text + "\n" + this.paint());
  }

  /** After something else drew on the terminal (a pager) or it was resized: clear and draw all again. */
  refresh(): void {
    const head = rowsOf(this.header, this.cols) + rowsOf(this.body, this.cols) + 2 < (this.w.rows || 24) ? this.header + "\n\n" : "";
    this.w.write(`${ESC}2J${ESC}H` + head + this.paint());
  }

  /** Forgets the drawn area: the next render starts on a fresh line below whatever is there. */
  detach(): void {
    if (this.drawn) this.w.write("\n");
    this.drawn = false;
  }

  /** Leaves the area as it is, moves below it and shows the cursor again. */
  close(): void {
    this.w.write((this.drawn ? "\n" : "") + `${ESC}?25h`);
    this.drawn = false;
  }
}
