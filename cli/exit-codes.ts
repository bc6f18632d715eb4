/**
 * The `replayable` command's exit codes. Scripts and CI branch on them, so they are part
 * of the interface: documented in the README and `replayable --help`, pinned by tests.
 */
export const ExitCode = {
  /** The command did what it was asked (for `run`: the execution SUCCEEDED). */
  OK: 0,
  /** `run` followed the execution to its end and it FAILED. */
  EXECUTION_FAILED: 1,
  /**
   * The command line or what it names is unusable: an unknown option, a missing argument,
   * JSON that does not parse, a handler file that is missing, fails to load, has no durable
   * handler or several without --handler, an invalid id.
   */
  USAGE: 2,
  /** What the command names does not exist or no longer accepts it: an unknown execution or callback id, a callback that is not waiting any more. */
  NOT_FOUND: 3,
  /** The store cannot be used: not a replayable store, corrupt, written by a newer version, better-sqlite3 missing. */
  STORE: 4,
  /** An unexpected error inside replayable (a bug): the message and stack trace are printed. */
  INTERNAL: 70,
  /** Stopped by Ctrl-C (SIGINT) while following an execution; the execution itself goes on in the store. */
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the command reports as one message and an exit code (no stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** Printed after the message, e.g. the subcommand's usage. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const usageError = (message: string, hint?: string) => new CliError(message, ExitCode.USAGE, hint);
export const notFound = (message: string) => new CliError(message, ExitCode.NOT_FOUND);
