// Runs a compiled drill in a worker thread: a clock per case, a heap cap, an allocation cap,
// and a process-wide memory watch. Always resolves with an outcome; never throws for learner code.
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "./paths.js";
import { performance } from "node:perf_hooks";
import type { Aliased, ThrownInfo, WorkerCall, WorkerMessage } from "../worker.js";

export type CallResult =
  | { ok: true; out: unknown; argsAfter: unknown[]; ms: number; aliased?: Aliased }
  | { ok: false; error: ThrownInfo; ms: number };

export interface Fatal {
  kind: "time" | "memory" | "exit" | "crash" | "load";
  /** Index of the call that was running, or undefined while the file was loading. */
  call?: number;
  message: string;
  error?: ThrownInfo;
}

export interface SandboxOutcome {
  results: (CallResult | undefined)[];
  fatal?: Fatal;
  stdout: string;
  workerStartMs: number;
  loadMs: number;
  learnerMs: number;
}

export interface SandboxLimits {
  /** Per call, in ms. */
  timeLimitMs: number;
  /** For loading the file (its top-level code), in ms. */
  loadLimitMs: number;
  /** Worker heap (old generation), in MiB. */
  heapMb: number;
  /** One typed array or buffer at most, in bytes. */
  maxArrayBytes: number;
  /** Growth of the process's resident memory that ends the run, in MiB. */
  rssGrowthMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeLimitMs: 2000,
  loadLimitMs: 2000,
  heapMb: 256,
  maxArrayBytes: 1024 * 2 ** 20,
  rssGrowthMb: 512,
};

/** The built worker (dist/worker.js); tests run against the build too. */
export function workerFile(): URL {
  const p = join(packageRoot(), "dist", "worker.js");
  if (!existsSync(p)) throw new Error(`${p} is missing: run \`npm run build\``);
  return pathToFileURL(p);
}
const STDOUT_CAP = 4000;

export interface Sandbox {
  /** Runs the calls in the worker started by startSandbox; resolves with every result or the fatal event. */
  run(bundlePath: string, calls: WorkerCall[]): Promise<SandboxOutcome>;
  /** Ends the worker without running anything (a compile error). */
  dispose(): void;
}

/**
 * Starts a worker at once, so that its start-up overlaps the compile; `run` hands it the job.
 */
export function startSandbox(limits: SandboxLimits = DEFAULT_LIMITS, file: URL = workerFile()): Sandbox {
  const t0 = performance.now();
  let workerStartMs = 0;
  let stdout = "";
  let early: Error | undefined;
  let worker: Worker | undefined;
  try {
    worker = new Worker(file, {
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
      env: {},
    });
    worker.once("online", () => (workerStartMs = performance.now() - t0));
    const collect = (chunk: Buffer) => {
      if (stdout.length < STDOUT_CAP) stdout += chunk.toString("utf8");
    };
    worker.stdout.on("data", collect);
    worker.stderr.on("data", collect);
    worker.once("error", (e) => (early = e));
  } catch (e) {
    early = e as Error;
  }

  return {
    dispose() {
      void worker?.terminate();
    },
    run(bundlePath, calls) {
      return new Promise((resolve) => {
        const results: (CallResult | undefined)[] = new Array(calls.length).fill(undefined);
        let settled = false;
        let current: number | undefined;
        let loadMs = 0, learnerMs = 0;
        const baseRss = process.memoryUsage.rss();
        let timer: NodeJS.Timeout | undefined;
        let memWatch: NodeJS.Timeout | undefined;
        const finish = (fatal?: Fatal) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          clearInterval(memWatch);
          const done = () => resolve({ results, fatal, stdout: stdout.slice(0, STDOUT_CAP), workerStartMs, loadMs, learnerMs });
          if (worker) worker.terminate().then(done, done);
          else done();
        };
        if (!worker || early) {
          finish({ kind: "crash", message: `the grader could not start a worker: ${early?.message ?? "unknown error"}` });
          return;
        }
        const w = worker;
        const arm = (ms: number, what: () => Fatal) => {
          clearTimeout(timer);
          timer = setTimeout(() => finish(what()), ms);
        };
        memWatch = setInterval(() => {
          const grown = (process.memoryUsage.rss() - baseRss) / 2 ** 20;
          if (grown > limits.rssGrowthMb) {
            finish({ kind: "memory", call: current, message: `memory grew by ${grown.toFixed(0)} MiB (limit ${limits.rssGrowthMb} MiB)` });
          }
        }, 20);
        w.on("message", (m: WorkerMessage) => {
          switch (m.type) {
            case "loaded":
              loadMs = m.ms;
              clearTimeout(timer);
              break;
            case "load-error":
              finish({ kind: "load", message: m.error.message, error: m.error });
              break;
            case "start":
              current = m.i;
              arm(limits.timeLimitMs, () => ({ kind: "time", call: m.i, message: `the call took longer than ${limits.timeLimitMs} ms` }));
              break;
            case "result":
              clearTimeout(timer);
              learnerMs += m.ms;
              results[m.i] = m.ok ? { ok: true, out: m.out, argsAfter: m.argsAfter, ms: m.ms, aliased: m.aliased } : { ok: false, error: m.error, ms: m.ms };
              if (!m.ok && m.error.kind === "memory") finish({ kind: "memory", call: m.i, message: m.error.message, error: m.error });
              current = undefined;
              break;
            case "done":
              finish();
              break;
          }
        });
        w.on("error", (e: Error & { code?: string }) => {
          if (e.code === "ERR_WORKER_OUT_OF_MEMORY" || /out of memory|heap limit/i.test(e.message)) {
            finish({ kind: "memory", call: current, message: `the JavaScript heap went over ${limits.heapMb} MiB` });
          } else {
            finish({ kind: "crash", call: current, message: e.message });
          }
        });
        w.on("exit", (code) => {
          finish({ kind: "exit", call: current, message: `the worker stopped with exit code ${code} before finishing` });
        });
        // the load clock covers the file's top-level code
        arm(limits.loadLimitMs, () => ({ kind: "time", message: `loading the file took longer than ${limits.loadLimitMs} ms (an endless loop at the top level?)` }));
        w.postMessage({ bundleUrl: pathToFileURL(bundlePath).href, calls, maxArrayBytes: limits.maxArrayBytes });
      });
    },
  };
}
