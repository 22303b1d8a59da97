// Each module's README shows its first fixture as the worked example, in readable numbers:
// every value of the first case's inputs and expected output (up to 24 of each) appears in the README,
// to 4 decimals (0.0900, or 0.09 where the trailing zeros are dropped), and the README has the sections a learner relies on.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadFixtures } from "../src/core/fixtures.ts";
import { moduleSlug, readmePath } from "../src/core/paths.ts";
import { isTensorLike } from "../src/core/tensor.ts";
import type { Value } from "../src/core/types.ts";
import { loadSpec, REGISTRY } from "../src/registry.ts";

function numbers(v: Value, out: number[] = []): number[] {
  if (isTensorLike(v)) out.push(...Array.from(v.data as ArrayLike<number>).slice(0, 24));
  else if (typeof v === "number") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => numbers(x, out));
  else if (v !== null && typeof v === "object") Object.values(v).forEach((x) => numbers(x, out));
  return out;
}

const forms = (x: number): string[] => {
  if (!Number.isFinite(x)) return [x > 0 ? "Infinity" : x < 0 ? "-Infinity" : "NaN", x < 0 ? "-inf" : "inf", "∞"];
  const r = Number(x.toFixed(4));
  const z = r === 0 ? 0 : r; // no "-0"
  return [x.toFixed(4), String(z), z.toFixed(4)].filter((s) => s !== "-0.0000");
};

describe("module READMEs", () => {
  for (const entry of REGISTRY) {
    it(`${moduleSlug(entry)} shows its first fixture and the required sections`, async () => {
      const spec = await loadSpec(entry);
      const text = readFileSync(readmePath(spec), "utf8");
      for (const h of ["## Worked example", "## Pitfalls", "## Interview follow-ups"]) expect(text, `missing section "${h}"`).toContain(h);
      const first = loadFixtures(spec)[0]!;
      expect(first.name).toBe(spec.fixtureCases()[0]!.name);
      const missing = [...first.args.flatMap((a) => numbers(a.value)), ...numbers(first.expected ?? [])]
        .filter((x) => !forms(x).some((f) => text.includes(f)));
      expect(missing, "values of the first fixture missing from the README").toEqual([]);
    });
  }
});

describe("the project README", () => {
  it("lists every registered module with its aliases and tier", () => {
    const text = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const m of REGISTRY) {
      expect(text).toContain(`| ${moduleSlug(m).slice(0, 3)} | ${m.id} | ${m.aliases.join(", ")} | ${m.tier} | ${m.title} |`);
    }
  });
});
