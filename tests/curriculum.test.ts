// The curriculum checks itself: for every registered module the blank template fails, the reference
// passes (two seeds), the fixtures are current, the hints exist, and each known mistake, submitted as
// a wrong variant of the reference, is caught and named by the grader.
import { describe, expect, it } from "vitest";
import { checkModule } from "../src/core/curriculum.ts";
import { loadSpec, REGISTRY } from "../src/registry.ts";

describe("curriculum self-check", () => {
  for (const entry of REGISTRY) {
    it(`${String(entry.number).padStart(3, "0")}-${entry.id}`, async () => {
      const spec = await loadSpec(entry);
      expect(await checkModule(spec)).toEqual([]);
    }, 60_000);
  }
});
