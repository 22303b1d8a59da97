// The grader's report: data first; the terminal text and --json are two renderings of it.
import type { CompareFailure, FailureKind } from "./compare.js";
import type { SourceLocation } from "./compile.js";

export type Verdict =
  | "accepted"
  | "wrong_answer"
  | "compile_error"
  | "runtime_error"
  | "time_limit_exceeded"
  | "memory_limit_exceeded";

export const VERDICT_TEXT: Record<Verdict, string> = {
  accepted: "Accepted",
  wrong_answer: "Wrong answer",
  compile_error: "Compile error",
  runtime_error: "Runtime error",
  time_limit_exceeded: "Time limit exceeded",
  memory_limit_exceeded: "Memory limit exceeded",
};

export interface CaseSummary {
  name: string;
  fn: string;
  source: "fixture" | "random";
  status: "passed" | "failed" | "not-run";
  ms?: number;
}

export interface ArgSummary {
  name: string;
  /** For tensors. */
  shape?: number[];
  dtype?: string;
  /** Small tensors (<= 32 values) and scalars are shown in full. */
  value?: unknown;
}

/** What failed, where, and why; the comparison fields (path, mismatches, errors, tol) come from compare.ts. */
export interface Failure extends Omit<Partial<CompareFailure>, "kind" | "message"> {
  case: string;
  fn: string;
  source: "fixture" | "random";
  /** For wrong answers: which check failed. For errors: "exception", "stack-overflow", "not-a-function", ... */
  kind: FailureKind | "exception" | "stack-overflow" | "not-a-function" | "unreadable-result" | "forbidden" | "exit" | "crash" | "time" | "memory" | "syntax";
  message: string;
  location?: SourceLocation;
  inputs?: ArgSummary[];
  mistake?: { id: string; title: string; lesson: string };
}

export interface Timing {
  compileMs: number;
  workerStartMs: number;
  oracleMs: number;
  learnerMs: number;
  compareMs: number;
  totalMs: number;
}

export interface Report {
  module: string;
  title: string;
  file: string;
  seed: number;
  verdict: Verdict;
  passed: number;
  total: number;
  cases: CaseSummary[];
  failure?: Failure;
  /** What the learner's code printed (console.log), capped. */
  stdout?: string;
  timing: Timing;
}
