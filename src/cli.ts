// The command line: wiring only. Each action imports its command module when it runs, so
// `--help` and `list` never load esbuild or onnxruntime.
import { Command, CommanderError, Option } from "commander";
import { EXIT, UsageError } from "./core/errors.js";
import { UnknownModuleError } from "./registry.js";
import { FixtureError } from "./core/fixtures.js";

// `llmdrill progress | head`: a reader that closes the pipe early ends the command quietly
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const program = new Command();
let debug = process.argv.includes("--debug");

program
  .name("llmdrill")
  .description("Hand-write the 35 core modules of an LLM under a clock; graded against onnxruntime in under a second.")
  .version("0.1.0")
  .option("--debug", "print full stack traces of internal errors")
  .showSuggestionAfterError(true)
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str) });

program
  .command("list")
  .description("the modules in curriculum order with status and best time")
  .option("--json", "machine-readable output")
  .action(async (opts) => (await import("./commands/list.js")).list(opts));

program
  .command("start")
  .description("write the blank drill file, start its clock, print the brief; on a terminal, keep watching: a live clock and a grade on every save")
  .argument("[module]", "number (17), id (scaled-dot-product-attention) or alias (attention); a picker when left out")
  .option("--force", "overwrite an edited drill file with the blank template")
  .option("--no-watch", "return at once instead of watching the file")
  .action(async (mod, opts) => (await import("./commands/start.js")).start(mod, opts));

program
  .command("submit")
  .alias("check")
  .description("grade your drill file: fixtures first, then fresh random cases against the oracle")
  .argument("<module>", "number, id or alias")
  .option("--file <path>", "grade this file instead of drills/<nnn>-<id>.ts")
  .addOption(new Option("--seed <n>", "replay the random cases of an earlier run").argParser(parseSeed))
  .option("--json", "print the report as JSON")
  .action(async (mod, opts) => (await import("./commands/submit.js")).submit(mod, opts));

program
  .command("progress")
  .description("what is done, how fast, and what is next")
  .option("--json", "machine-readable output")
  .action(async (opts) => (await import("./commands/progress.js")).progress(opts));

program
  .command("show")
  .description("the module's README: formula, shapes, pitfalls, interview questions (paged on a terminal)")
  .argument("[module]", "number, id or alias; a picker when left out")
  .action(async (mod) => (await import("./commands/info.js")).show(mod));

program
  .command("hint")
  .description("the next of three hints (nudge, formula, pseudo-code); recorded in your progress")
  .argument("[module]", "number, id or alias; a picker when left out")
  .action(async (mod) => (await import("./commands/info.js")).hint(mod));

program
  .command("solution")
  .description("the reference solution (after you pass, or with --force)")
  .argument("<module>", "number, id or alias")
  .option("--force", "show it before you have passed (recorded)")
  .action(async (mod, opts) => (await import("./commands/info.js")).solution(mod, opts));

program
  .command("reset")
  .description("put the blank template back (your file is saved under .llmdrill/backups) and stop the clock")
  .argument("<module>", "number, id or alias")
  .action(async (mod) => (await import("./commands/start.js")).reset(mod));

program
  .command("weak")
  .description("started modules ranked by weakness, with the reasons")
  .option("--json", "machine-readable output")
  .action(async (opts) => (await import("./commands/weak.js")).weak(opts));

program
  .command("next")
  .description("the module to practise now (spaced review, then new modules in reach)")
  .option("--list", "everything due, coming up, and new in reach")
  .option("--json", "machine-readable output")
  .action(async (opts) => (await import("./commands/next.js")).next(opts));

program
  .command("mock")
  .description("a mock interview: K modules under one clock, no hints or solutions, graded at the end")
  .argument("[modules...]", "these modules instead of a weighted draw")
  .addOption(new Option("--minutes <n>", "length of the mock (default 45)").argParser(parseWhole("--minutes", 1, 600)))
  .addOption(new Option("--count <k>", "how many modules (default 3)").argParser(parseWhole("--count", 1, 35)))
  .option("--any-tier", "draw from every tier, not only those in reach")
  .option("--finish", "grade the running mock and record the result")
  .option("--json", "machine-readable output")
  .action(async (mods, opts) => (await import("./commands/mock.js")).mock(mods, opts));

function parseWhole(flag: string, lo: number, hi: number): (v: string) => number {
  return (v) => {
    if (!/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi) throw new UsageError(`${flag} takes a whole number from ${lo} to ${hi}, got "${v}"`);
    return Number(v);
  };
}

function parseSeed(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 4294967295) throw new UsageError(`--seed takes a whole number from 0 to 4294967295, got "${v}"`);
  return Number(v);
}

function exitWhenFlushed(code: number): void {
  const pending = [process.stdout, process.stderr].filter((s) => s.writableLength > 0);
  if (pending.length === 0) process.exit(code);
  let left = pending.length;
  for (const s of pending) s.once("drain", () => --left === 0 && process.exit(code));
}

async function main(): Promise<void> {
  try {
    // test hook: proves that an unexpected error ends in one line (and a trace only with --debug)
    if (process.env.LLMDRILL_TEST_INTERNAL_ERROR) throw new Error("simulated internal error (LLMDRILL_TEST_INTERNAL_ERROR is set)");
    await program.parseAsync(process.argv);
    // done: leave now instead of waiting for the grading worker, onnxruntime and esbuild to wind
    // down (10-20 ms), once what was written has reached stdout and stderr
    exitWhenFlushed(typeof process.exitCode === "number" ? process.exitCode : EXIT.ok);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") process.exit(EXIT.ok);
      process.exit(EXIT.usage);
    }
    if (e instanceof UsageError || e instanceof UnknownModuleError || e instanceof FixtureError) {
      process.stderr.write(`llmdrill: ${e.message}\n`);
      process.exit(EXIT.usage);
    }
    const err = e as Error;
    if (debug) process.stderr.write(`${err?.stack ?? String(e)}\n`);
    process.stderr.write(
      `llmdrill: internal error: ${err?.message ?? String(e)} (a bug in llmdrill, not in your code: ${debug ? "please include the trace above" : "run the command again with --debug"} in a bug report)\n`,
    );
    process.exit(EXIT.internal);
  }
}

void main();
