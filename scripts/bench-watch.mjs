// node scripts/bench-watch.mjs [module ...]: save-to-verdict latency of watch mode. Drives
// `llmdrill start <module>` in a pseudo-terminal (util-linux `script`), saves the drill file
// BENCH_SAVES times (default 15; the reference solution plus a changing comment, 400 ms apart, as a
// learner saves) and times each save from the write to the moment its verdict reaches the terminal.
// The latency includes the ~100 ms debounce. Prints median and worst per module; writes
// bench-watch-results.json; BENCH_VERBOSE=1 prints every latency. Run `node scripts/build.mjs` first.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "llmdrill.js");
const saves = Number(process.env.BENCH_SAVES ?? 15);
const gapMs = 400;
const modules = process.argv.slice(2).length ? process.argv.slice(2) : ["softmax", "layernorm", "scaled-dot-product-attention", "rope", "decoder-block"];
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", TERM: "xterm-256color" };
delete env.LLMDRILL_WORKSPACE;

if (spawnSync("script", ["--version"]).error) {
  console.error("bench-watch needs util-linux `script` for a pseudo-terminal (apt-get install bsdutils)");
  process.exit(2);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const strip = (s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");

async function benchModule(name) {
  const list = JSON.parse(spawnSync(process.execPath, [bin, "list", "--json"], { env, encoding: "utf8" }).stdout);
  const m = list.find((x) => x.id === name || String(x.number) === name || x.aliases.includes(name));
  if (!m) throw new Error(`unknown module ${name}`);
  const slug = `${String(m.number).padStart(3, "0")}-${m.id}`;
  const ws = mkdtempSync(join(tmpdir(), "llmdrill-bench-watch-"));
  const reference = readFileSync(join(root, "modules", slug, "reference.ts"), "utf8");
  const file = join(ws, "drills", `${slug}.ts`);

  const cmd = `stty cols 160 rows 60; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} start ${m.id}`;
  const child = spawn("script", ["-qfec", cmd, "/dev/null"], { cwd: ws, env, stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  const waiters = [];
  child.stdout.on("data", (d) => {
    out += strip(d.toString("utf8"));
    const now = performance.now();
    for (const w of waiters.splice(0)) if (!w.check(now)) waiters.push(w);
  });
  const until = (pred, timeoutMs = 20000) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out; terminal so far:\n${out.slice(-2000)}`)), timeoutMs);
      const w = { check: (now) => (pred() ? (clearTimeout(t), resolve(now), true) : false) };
      if (!w.check(performance.now())) waiters.push(w);
    });

  await until(() => out.includes("Watching"));
  await sleep(1500); // let the warm-up (esbuild service, oracle sessions, first worker) finish
  const latencies = [], gradeMs = [];
  for (let i = 1; i <= saves; i++) {
    const from = out.length;
    const t0 = performance.now();
    writeFileSync(file, `${reference}\n// save ${i}\n`);
    const t1 = await until(() => new RegExp(`submission ${i} · [0-9:]+ · \\d+ ms[\\s\\S]*Accepted`).test(out.slice(from)));
    latencies.push(t1 - t0);
    gradeMs.push(Number(new RegExp(`submission ${i} · [0-9:]+ · (\\d+) ms`).exec(out.slice(from))[1]));
    await sleep(gapMs);
  }
  child.stdin.write("q");
  await new Promise((r) => child.on("exit", r));
  const r = (x) => +x.toFixed(1);
  if (process.env.BENCH_VERBOSE) console.error(slug, latencies.map((x) => x.toFixed(0)).join(" "));
  return { module: slug, saves, medianMs: r(median(latencies)), worstMs: r(Math.max(...latencies)), gradeMedianMs: r(median(gradeMs)), gradeWorstMs: r(Math.max(...gradeMs)) };
}

const results = [];
for (const name of modules) results.push(await benchModule(name));
const lines = [`llmdrill watch-mode bench · ${saves} saves per module · node ${process.version} · ${new Date().toISOString()}`, ""];
lines.push(`${"module".padEnd(36)} ${"save->verdict median".padStart(21)} ${"worst".padStart(7)}   grade median / worst (in process)`);
for (const x of results) lines.push(`${x.module.padEnd(36)} ${String(x.medianMs).padStart(18)} ms ${String(x.worstMs).padStart(7)}   ${x.gradeMedianMs} / ${x.gradeWorstMs} ms`);
lines.push("", "save->verdict includes the 100 ms debounce; target: median <= 150 ms for modules whose code runs under 10 ms.");
console.log(lines.join("\n"));
writeFileSync(join(root, "bench-watch-results.json"), JSON.stringify({ saves, node: process.version, results }, null, 2) + "\n");
