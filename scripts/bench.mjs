// npm run bench: wall time of `llmdrill submit` on each module's reference solution, and of
// --help, list and progress, next to `node -e 0` measured in the same run. Prints a table and
// writes the same numbers to bench-results.json. Stage shares come from the reports' timings.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "llmdrill.js");
const runs = Number(process.env.BENCH_RUNS ?? 9);
const ws = mkdtempSync(join(tmpdir(), "llmdrill-bench-"));
const env = { ...process.env, NO_COLOR: "1", LLMDRILL_WORKSPACE: ws };

function time(args, node = [bin]) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...node, ...args], { cwd: ws, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  return { ms, r };
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const stats = (xs) => ({ median: +median(xs).toFixed(1), worst: +Math.max(...xs).toFixed(1), runs: xs.length });

function measure(args, node) {
  time(args, node); // warm the file cache
  const xs = [];
  for (let i = 0; i < runs; i++) xs.push(time(args, node).ms);
  return stats(xs);
}

// BENCH_MODULES=softmax,rope limits the submit rows to those modules (ids or numbers)
const only = process.env.BENCH_MODULES?.split(",").map((s) => s.trim()).filter(Boolean);
const list = JSON.parse(spawnSync(process.execPath, [bin, "list", "--json"], { cwd: ws, env, encoding: "utf8" }).stdout)
  .filter((m) => !only || only.some((s) => s === m.id || (/^\d+$/.test(s) && Number(s) === m.number)));
spawnSync(process.execPath, [bin, "start", "softmax", "--no-watch"], { cwd: ws, env });

const baseline = measure(["-e", "0"], []);
const commands = {
  "--help": measure(["--help"]),
  list: measure(["list"]),
  progress: measure(["progress"]),
};

const modules = [];
const stageTotals = { compileMs: 0, workerStartMs: 0, oracleMs: 0, learnerMs: 0, compareMs: 0, totalMs: 0 };
for (const m of list) {
  const slug = `${String(m.number).padStart(3, "0")}-${m.id}`;
  const file = join(ws, `${slug}.ref.ts`);
  const source = spawnSync(process.execPath, [bin, "solution", m.id, "--force"], { cwd: ws, env, encoding: "utf8" }).stdout;
  // every run submits a file edited since the last one (as a learner does), so nothing is served
  // from the compile cache: this is the edit-then-submit path
  let edit = 0;
  const fresh = () => writeFileSync(file, `${source}\n// bench edit ${edit++}\n`);
  const args = ["submit", m.id, "--file", file, "--json"];
  fresh();
  time(args);
  const xs = [];
  const stages = { compileMs: 0, workerStartMs: 0, oracleMs: 0, learnerMs: 0, compareMs: 0, totalMs: 0 };
  for (let i = 0; i < runs; i++) {
    fresh();
    const { ms, r } = time(args);
    xs.push(ms);
    const rep = JSON.parse(r.stdout);
    if (rep.verdict !== "accepted") throw new Error(`${slug}: reference not accepted: ${rep.verdict}`);
    for (const k of Object.keys(stages)) stages[k] += rep.timing[k] / runs;
  }
  for (const k of Object.keys(stages)) stageTotals[k] += stages[k];
  modules.push({ module: slug, ...stats(xs), stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, +v.toFixed(1)])) });
}

const pct = (v, t) => `${((100 * v) / t).toFixed(0)}%`.padStart(4);
const lines = [];
lines.push(`llmdrill bench · ${runs} runs each · node ${process.version} · ${new Date().toISOString()}`);
lines.push("");
lines.push(`${"command".padEnd(40)} ${"median ms".padStart(10)} ${"worst ms".padStart(9)}  x node -e 0`);
lines.push(`${"node -e 0".padEnd(40)} ${String(baseline.median).padStart(10)} ${String(baseline.worst).padStart(9)}`);
for (const [k, v] of Object.entries(commands)) lines.push(`${("llmdrill " + k).padEnd(40)} ${String(v.median).padStart(10)} ${String(v.worst).padStart(9)}  ${(v.median / baseline.median).toFixed(2)}`);
lines.push("");
lines.push(`${"submit (reference solution)".padEnd(40)} ${"median ms".padStart(10)} ${"worst ms".padStart(9)}  compile worker oracle learner compare (share of in-process time)`);
for (const m of modules) {
  const s = m.stages;
  lines.push(`${m.module.padEnd(40)} ${String(m.median).padStart(10)} ${String(m.worst).padStart(9)}  ${pct(s.compileMs, s.totalMs)}    ${pct(s.workerStartMs, s.totalMs)}   ${pct(s.oracleMs, s.totalMs)}    ${pct(s.learnerMs, s.totalMs)}    ${pct(s.compareMs, s.totalMs)}`);
}
lines.push("");
lines.push("Stages overlap: the worker starts while the file compiles, and the oracle runs while the learner's code runs, so shares need not add to 100%.");
const slow = modules.filter((m) => m.median > 250 || m.worst > 500).map((m) => m.module);
const slowCmd = Object.entries(commands).filter(([, v]) => v.median > 2 * baseline.median).map(([k]) => k);
lines.push(`Targets: submit median <= 250 ms and worst <= 500 ms: ${slow.length ? "missed by " + slow.join(", ") : `all ${modules.length} met`}; --help, list, progress <= 2x node -e 0: ${slowCmd.length ? "missed by " + slowCmd.join(", ") : "met"}.`);
console.log(lines.join("\n"));
writeFileSync(join(root, "bench-results.json"), JSON.stringify({ runs, node: process.version, date: new Date().toISOString(), baseline, commands, modules }, null, 2) + "\n");
console.log(`\nwrote ${join(root, "bench-results.json")}`);
