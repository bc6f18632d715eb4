import path from "node:path";
import { usageError } from "./exit-codes.js";
import { printable } from "./printable.js";

/**
 * How the CLI names the functions it starts, so that a later `replayable resume` (another
 * process, maybe days later) knows which file to import and how to run it: the handler file's
 * path relative to the working directory and the export, shown as
 * `examples/run/order-payment.ts#orderPayment`, and the SDK the handler runs on.
 *
 * The engine's function names allow only letters, digits and `. _ : @ = + -` (starting with a
 * letter or digit), so the name stored is that reference with `/` written as `:` and `#` as
 * `@`: `examples:run:order-payment.ts@orderPayment`. A handler run with `--sdk aws` (on the
 * official @aws/durable-execution-sdk-js) has `+aws` after its export:
 * `handlers:flow.ts@handler+aws`, shown as `handlers/flow.ts#handler (--sdk aws)`. Both
 * spellings are read back.
 */

/** Which SDK runs the handler: replayable's runtime (the default), or the official AWS SDK through fromAwsSdk. */
export type HandlerSdk = "replayable" | "aws";
export const HANDLER_SDKS: readonly HandlerSdk[] = ["replayable", "aws"];

export interface FunctionRef {
  /** Relative to the working directory, with `/` separators. */
  readonly file: string;
  readonly exportName: string;
  readonly sdk: HandlerSdk;
}

const SEGMENT = /^[A-Za-z0-9._=+@-]+$/;
const EXPORT_NAME = /^[A-Za-z0-9_]+$/;
const AWS_SUFFIX = "+aws";
const AWS_SHOWN = " (--sdk aws)";

/** The function name the engine stores for a handler export of a file. */
export function functionNameOf(cwd: string, absoluteFile: string, exportName: string, sdk: HandlerSdk = "replayable"): string {
  const relative = path.relative(cwd, absoluteFile).split(path.sep).join("/");
  const segments = relative.split("/");
  if (relative.startsWith("../") || path.isAbsolute(relative)) {
    throw usageError(
      `${absoluteFile} is outside the working directory ${cwd}. The store records a handler by its path relative to the directory \`replayable run\` starts in, so that \`replayable resume\` can find it again: run the command from a directory that contains the file.`,
    );
  }
  if (!/^[A-Za-z0-9]/.test(relative) || !segments.every((segment) => SEGMENT.test(segment))) {
    throw usageError(
      `The path ${relative} cannot be recorded as a function name: use a file whose path (relative to the working directory) starts with a letter or digit and uses only letters, digits and . _ = + @ - in its names.`,
    );
  }
  if (!EXPORT_NAME.test(exportName)) {
    throw usageError(`The export ${exportName} of ${relative} cannot be recorded as a function name: export the handler under a name of letters, digits and _.`);
  }
  return `${segments.join(":")}@${exportName}${sdk === "aws" ? AWS_SUFFIX : ""}`;
}

/** The file, export and SDK a function name refers to; undefined for names the CLI did not make. */
export function functionRefOf(functionName: string): FunctionRef | undefined {
  const suffix = [AWS_SUFFIX, AWS_SHOWN].find((s) => functionName.endsWith(s));
  const name = suffix ? functionName.slice(0, -suffix.length) : functionName;
  const sdk: HandlerSdk = suffix ? "aws" : "replayable";
  const hash = name.lastIndexOf("#");
  if (hash > 0) return { file: name.slice(0, hash), exportName: name.slice(hash + 1), sdk };
  const at = name.lastIndexOf("@");
  if (at <= 0) return undefined;
  const exportName = name.slice(at + 1);
  const file = name.slice(0, at).split(":").join("/");
  if (!EXPORT_NAME.test(exportName) || !/\.[cm]?[jt]s$/.test(file)) return undefined;
  return { file, exportName, sdk };
}

/** `examples/run/order-payment.ts#orderPayment` (`... (--sdk aws)`) for names the CLI made, else the name itself. */
export function displayFunction(functionName: string): string {
  const ref = functionRefOf(functionName);
  return printable(ref ? `${ref.file}#${ref.exportName}${ref.sdk === "aws" ? AWS_SHOWN : ""}` : functionName);
}
