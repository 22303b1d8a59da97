// Errors that end a command with a message and an exit code, never a stack trace.

/** The learner asked for something that cannot be done as asked: exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export const EXIT = { ok: 0, notAccepted: 1, usage: 2, internal: 70 } as const;
