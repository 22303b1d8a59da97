// Text charts for the terminal: a progress bar and a sparkline.
const TICKS = "▁▂▃▄▅▆▇█";

/** One tick per value, scaled from the smallest (▁) to the largest (█); all equal gives ▄. */
export function sparkline(values: number[]): string {
  if (values.length === 0) return "";
  const lo = Math.min(...values), hi = Math.max(...values);
  if (hi === lo) return TICKS[3]!.repeat(values.length);
  return values.map((v) => TICKS[Math.round(((v - lo) / (hi - lo)) * (TICKS.length - 1))]!).join("");
}

/** [filled, empty] cell counts of a bar `width` wide. */
export function barCells(done: number, total: number, width: number): [number, number] {
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return [filled, width - filled];
}
