// Builds dist/ with esbuild: the CLI (commands split into lazily loaded chunks), the grading worker
// and the developer tools. Runs on `npm install` (prepare) and before tests.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/cli.ts", worker: "src/worker.ts", dev: "src/dev.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  chunkNames: "chunks/[name]-[hash]",
  external: ["onnxruntime-node", "esbuild", "protobufjs", "protobufjs/*"],
  banner: { js: "import { createRequire as __llmdrillCreateRequire } from 'node:module'; const require = __llmdrillCreateRequire(import.meta.url);" },
  logLevel: "warning",
});
