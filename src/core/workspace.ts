// The learner's workspace: the nearest ancestor holding llmdrill.json, else the current directory.
// LLMDRILL_WORKSPACE overrides. Drill files live in drills/, llmdrill's state in .llmdrill/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { moduleSlug, typesPath } from "./paths.js";

export interface Workspace {
  root: string;
  /** Whether llmdrill.json exists (the workspace has been set up). */
  initialized: boolean;
  drillsDir: string;
  stateDir: string;
  buildDir: string;
}

export const CONFIG_FILE = "llmdrill.json";

export function findWorkspace(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Workspace {
  let root: string | undefined;
  if (env.LLMDRILL_WORKSPACE) root = resolve(cwd, env.LLMDRILL_WORKSPACE);
  else {
    for (let dir = resolve(cwd); ; dir = dirname(dir)) {
      if (existsSync(join(dir, CONFIG_FILE))) {
        root = dir;
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  root ??= resolve(cwd);
  return {
    root,
    initialized: existsSync(join(root, CONFIG_FILE)),
    drillsDir: join(root, "drills"),
    stateDir: join(root, ".llmdrill"),
    buildDir: join(root, ".llmdrill", "build"),
  };
}

export const drillPath = (ws: Workspace, m: { number: number; id: string }) => join(ws.drillsDir, `${moduleSlug(m)}.ts`);

const DRILLS_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "Bundler",
    lib: ["ES2022"],
    strict: true,
    noEmit: true,
    isolatedModules: true,
    skipLibCheck: true,
    types: [],
  },
  include: ["*.ts"],
};

function writeIfChanged(path: string, text: string): void {
  if (existsSync(path) && readFileSync(path, "utf8") === text) return;
  writeFileSync(path, text);
}

/** Sets up (or refreshes) the workspace: config, drills/ with the Tensor types and a tsconfig. */
export function ensureWorkspace(ws: Workspace): void {
  mkdirSync(ws.drillsDir, { recursive: true });
  mkdirSync(ws.stateDir, { recursive: true });
  const cfg = join(ws.root, CONFIG_FILE);
  if (!existsSync(cfg)) writeFileSync(cfg, JSON.stringify({ llmdrill: 1 }, null, 2) + "\n");
  writeIfChanged(join(ws.drillsDir, "llmdrill.d.ts"), readFileSync(typesPath(), "utf8"));
  writeIfChanged(join(ws.drillsDir, "tsconfig.json"), JSON.stringify(DRILLS_TSCONFIG, null, 2) + "\n");
  writeIfChanged(join(ws.stateDir, ".gitignore"), "build/\n*.lock\n*.lock.*\n*.tmp\n");
  ws.initialized = true;
}
