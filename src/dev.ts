// Developer tools: `npm run fixtures` (regenerate fixtures/) and `npm run check:curriculum`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { encodeManifest, manifestPath } from "./core/fixtures.js";
import { checkModule, generateFixtures } from "./core/curriculum.js";
import { fixturePath, moduleSlug } from "./core/paths.js";
import { loadSpec, REGISTRY, resolveModule, type RegistryEntry } from "./registry.js";

/** The modules named (number, id, alias or nnn-id), or all of them. */
function selected(names: string[]): RegistryEntry[] {
  if (!names.length) return REGISTRY;
  const want = new Set(names.map((n) => resolveModule(n)));
  return REGISTRY.filter((e) => want.has(e));
}

async function fixtures(names: string[]): Promise<void> {
  for (const entry of selected(names)) {
    const spec = await loadSpec(entry);
    const text = await generateFixtures(spec);
    writeFileSync(fixturePath(spec), text);
    process.stdout.write(`wrote ${fixturePath(spec)}\n`);
  }
  writeFileSync(manifestPath(), manifestText());
  process.stdout.write(`wrote ${manifestPath()}\n`);
}

/** The checksum manifest of every registered module's fixture file as it is on disk. */
function manifestText(): string {
  const files: Record<string, string> = {};
  for (const entry of REGISTRY) {
    const p = fixturePath(entry);
    if (existsSync(p)) files[basename(p)] = readFileSync(p, "utf8");
  }
  return encodeManifest(files);
}

async function check(names: string[]): Promise<void> {
  let failed = 0;
  const entries = selected(names);
  for (const entry of entries) {
    const spec = await loadSpec(entry);
    const problems = await checkModule(spec);
    process.stdout.write(`${problems.length ? "FAIL" : "ok  "} ${moduleSlug(spec)}\n`);
    for (const p of problems) process.stdout.write(`     - ${p}\n`);
    failed += problems.length ? 1 : 0;
  }
  process.stdout.write(`${entries.length - failed} passed, ${failed} failed\n`);
  process.exitCode = failed ? 1 : 0;
}

const [cmd, ...names] = process.argv.slice(2);
try {
  if (cmd === "fixtures") await fixtures(names);
  else if (cmd === "check") await check(names);
  else {
    process.stderr.write("usage: node dist/dev.js fixtures [module ...] | check [module ...]\n");
    process.exitCode = 2;
  }
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 2;
}
