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
