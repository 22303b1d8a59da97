// Where llmdrill's own files are: the package root holds modules/, templates/, fixtures/.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** The llmdrill package root, found from this file (works from dist/ and from src/). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, "utf8")).name === "llmdrill") return (root = dir);
      } catch { /* keep looking */ }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("llmdrill: cannot find the package root (package.json named llmdrill)");
    dir = up;
  }
}

export const moduleSlug = (m: { number: number; id: string }) => `${String(m.number).padStart(3, "0")}-${m.id}`;
export const moduleDir = (m: { number: number; id: string }) => join(packageRoot(), "modules", moduleSlug(m));
export const templatePath = (m: { number: number; id: string }) => join(packageRoot(), "templates", `${moduleSlug(m)}.ts`);
export const referencePath = (m: { number: number; id: string }) => join(moduleDir(m), "reference.ts");
export const readmePath = (m: { number: number; id: string }) => join(moduleDir(m), "README.md");
export const fixturePath = (m: { number: number; id: string }) => join(packageRoot(), "fixtures", `${moduleSlug(m)}.json`);
export const typesPath = () => join(packageRoot(), "types", "llmdrill.d.ts");
