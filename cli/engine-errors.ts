import { PayloadKeyError, StoreFileError } from "../engine/index.js";
import { CliError, ExitCode } from "./exit-codes.js";
import { printable, printableLines } from "./printable.js";
import type { Style } from "./style.js";

/**
 * What `run` and `resume` do with an error the engine's worker met: a lasting store error (a
 * damaged row, a corrupt file, a payload that fails its check) stops the command with exit
 * code 4, naming the execution and the row; a transient one (the write lock busy for too
 * long, a full disk) is one line, and the engine retries; anything else is a bug, printed
 * with its stack.
 */
export function workerErrorLine(error: unknown, executionId: string | undefined, style: Style): { line: string; lasting?: CliError } {
  const where = executionId ? ` (${printable(executionId)})` : "";
  if ((error instanceof StoreFileError && !error.transient) || error instanceof PayloadKeyError) {
    const message = printable(error.message);
    return { line: `${style.red("store error")}${where}: ${message}`, lasting: new CliError(message, ExitCode.STORE) };
  }
  if (error instanceof StoreFileError) return { line: `${style.yellow("store busy")}${where}: ${printable(error.message)} The engine retries.` };
  return { line: `${style.red("engine error")}${where}: ${printableLines(String((error as Error)?.stack ?? error))}` };
}

/**
 * A transient store error recurs on every retry while it lasts (a disk stays full for
 * minutes): print a line the first time, then the same line at most once per `everyMs`, saying
 * how many times it recurred meanwhile.
 */
export class RepeatedLineFilter {
  private readonly seen = new Map<string, { printedAt: number; since: number }>();

  constructor(
    private readonly everyMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The line to print now, or undefined to stay quiet. */
  pass(line: string): string | undefined {
    const at = this.now();
    const last = this.seen.get(line);
    if (last && at - last.printedAt < this.everyMs) {
      last.since += 1;
      return undefined;
    }
    this.seen.set(line, { printedAt: at, since: 0 });
    return last?.since ? `${line} (again; ${last.since} more time${last.since === 1 ? "" : "s"} since the last report)` : line;
  }
}
