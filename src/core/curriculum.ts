// Checks the checker: fixtures regenerate byte for byte, the blank template fails, the reference
// passes, every known mistake is named by the grader when its wrong variant is submitted.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeFixtures, manifestPath, sha256, type FixtureCase } from "./fixtures.js";
import { grade } from "./grade.js";
import { fixturePath, moduleDir, moduleSlug, readmePath, referencePath, templatePath } from "./paths.js";
import type { Report } from "./report.js";
import type { ModuleSpec, OracleRunner } from "./types.js";

async function runner(): Promise<OracleRunner> {
  return (await import("../onnx/runtime.js")).ortRunner;
}

/** Fixture cases with their expected outputs from the oracle. */
export async function fixtureCasesWithExpected(spec: ModuleSpec): Promise<FixtureCase[]> {
  const ort = await runner();
  const out: FixtureCase[] = [];
  for (const c of spec.fixtureCases()) out.push({ ...c, expected: c.expectThrows ? undefined : await spec.oracle(c, ort) });
  return out;
}

export async function generateFixtures(spec: ModuleSpec): Promise<string> {
  return encodeFixtures(spec, await fixtureCasesWithExpected(spec));
}

/** A drill file that is the reference with one mistake's functions swapped in. */
export function mistakeFile(spec: ModuleSpec, mistakeId: string, dir: string): string {
  const names = spec.functions.map((f) => f.name);
  const src = [
    `import * as ref from ${JSON.stringify(referencePath(spec))};`,
    `import { mistakes } from ${JSON.stringify(join(moduleDir(spec), "mistakes.ts"))};`,
    `const m = mistakes.find((x) => x.id === ${JSON.stringify(mistakeId)})!;`,
    ...names.map((n) => `export const ${n} = (m.impl.${n} ?? (ref as any).${n}) as any;`),
    "",
  ].join("\n");
  const file = join(dir, `mistake-${mistakeId}.ts`);
  writeFileSync(file, src);
  return file;
}

export interface CheckOptions { seeds?: number[] }

const brief = (r: Report) => `${r.verdict}${r.failure ? `: ${r.failure.case} — ${r.failure.message}` : ""}`;

/** Every problem found with one module; empty when it is sound. */
export async function checkModule(spec: ModuleSpec, opts: CheckOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  const slug = moduleSlug(spec);
  const seeds = opts.seeds ?? [1, 2];
  for (const p of [readmePath(spec), templatePath(spec), referencePath(spec), join(moduleDir(spec), "mistakes.ts")]) {
    if (!existsSync(p)) problems.push(`missing ${p}`);
  }
  if (problems.length) return problems;
  for (const key of ["nudge", "formula", "pseudocode"] as const) if (!spec.hints[key]?.trim()) problems.push(`hint "${key}" is empty`);
  if (!readFileSync(templatePath(spec), "utf8").includes("TODO")) problems.push("the template has no TODO marker");

  const fixtures = await fixtureCasesWithExpected(spec);
  const text = encodeFixtures(spec, fixtures);
  const onDisk = existsSync(fixturePath(spec)) ? readFileSync(fixturePath(spec), "utf8") : "";
  if (onDisk !== text) problems.push(`${fixturePath(spec)} is not current: run \`npm run fixtures\``);
  else {
    let sums: Record<string, string> = {};
    try {
      sums = JSON.parse(readFileSync(manifestPath(), "utf8")).sha256 ?? {};
    } catch { /* reported below */ }
    if (sums[`${slug}.json`] !== sha256(text)) problems.push(`${manifestPath()} has no current checksum for ${slug}.json: run \`npm run fixtures\``);
  }

  const tmp = mkdtempSync(join(tmpdir(), `llmdrill-check-${slug}-`));
  const buildDir = join(tmp, "build");
  try {
    for (const seed of seeds) {
      const ref = await grade(spec, { file: referencePath(spec), buildDir, seed, fixtures });
      if (ref.verdict !== "accepted") problems.push(`the reference fails (seed ${seed}): ${brief(ref)}`);
    }
    const blank = await grade(spec, { file: templatePath(spec), buildDir, seed: seeds[0]!, fixtures });
    if (blank.verdict === "accepted") problems.push("the blank template is accepted");
    if (spec.mistakes.length === 0) problems.push("no known mistakes are listed");
    for (const m of spec.mistakes) {
      const r = await grade(spec, { file: mistakeFile(spec, m.id, tmp), buildDir, seed: seeds[0]!, fixtures });
      if (r.verdict === "accepted") problems.push(`mistake ${m.id} is accepted: no case catches it`);
      else if (r.failure?.mistake?.id !== m.id) problems.push(`mistake ${m.id} is caught but not named (${brief(r)}${r.failure?.mistake ? `; named ${r.failure.mistake.id}` : ""})`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return problems;
}
