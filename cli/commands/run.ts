import { lambdaStatusOf } from "../../engine/execution-status.js";
import { createEngine, type ExecutionRow } from "../../engine/index.js";
import { checkExecutionId, DEFAULT_MAX_PAYLOAD_BYTES, payloadText } from "../../engine/input-checks.js";
import { parseCommand, parseJsonArg } from "../args.js";
import { CliError, ExitCode, usageError } from "../exit-codes.js";
import { follow } from "../follow.js";
import { displayFunction, functionNameOf, functionRefOf, HANDLER_SDKS, type HandlerSdk } from "../function-ref.js";
import { interruptSignal } from "../interrupt.js";
import { writeLines, type Io } from "../io.js";
import { engineFunction, loadHandlerFile, pickHandler } from "../load-handlers.js";
import { openStore, quoteArg, storeLocation } from "../store.js";
import { colorWanted, createStyle } from "../style.js";
import { clockTime } from "../timeline.js";
import { RepeatedLineFilter, workerErrorLine } from "../engine-errors.js";

export const RUN_USAGE = `Usage: replayable run <file> [--handler <name>] [--sdk aws] [--input <json>|@<file.json>] [--id <executionId>] [--store <path>] [--no-follow]

Starts an execution of the durable handler that <file> exports (TypeScript, JSX or JavaScript;
each file is compiled as needed and its unnamed operations get the IDs \`replayable ids\` lists)
on the local engine, and follows it: its operations as they start and end, what it waits for,
then its result or error.

  --handler <name>  the export to run when the file exports several durable handlers
  --sdk aws         run a handler written with @aws/durable-execution-sdk-js on the official
                    SDK (installed beside the file) instead of replayable's runtime, as Lambda
                    does: every wake-up replays it. The export is --handler, else \`handler\`
                    or the default export. resume runs the execution the same way.
  --input <json>    the execution's input event (default {}); @file.json reads a file
  --id <id>         the execution id (default: a new UUID). Starting an id that exists
                    continues that execution instead: after a crash, run the same command again.
  --store <path>    the store: an SQLite file (default .replayable/db.sqlite) or a postgres:// URL, or $REPLAYABLE_STORE
  --no-follow       start it and exit; a worker (replayable resume) runs it

Exit codes: 0 succeeded, 1 failed, 2 bad arguments or handler file, 4 store unusable, 130 Ctrl-C
(the execution stays in the store: replayable resume continues it).
`;

export async function runCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(
    args,
    { handler: { type: "string" }, sdk: { type: "string" }, input: { type: "string" }, id: { type: "string" }, store: { type: "string" }, "no-follow": { type: "boolean" } },
    RUN_USAGE,
    { min: 1, max: 1, what: "the handler file: replayable run <file.ts>" },
  );
  const sdk = (values.sdk ?? "replayable") as HandlerSdk;
  if (!HANDLER_SDKS.includes(sdk)) throw usageError(`--sdk must be aws (the official @aws/durable-execution-sdk-js) or replayable (the default); got ${values.sdk}`, RUN_USAGE);
  const input = values.input !== undefined ? parseJsonArg("--input", values.input, DEFAULT_MAX_PAYLOAD_BYTES) : undefined;
  // Every argument is checked before the handler file is loaded: loading runs its code and prints the transformer's warnings.
  try {
    if (values.id !== undefined) checkExecutionId(values.id);
    if (input) payloadText(input.value, "execution input", DEFAULT_MAX_PAYLOAD_BYTES);
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const file = await loadHandlerFile(io.cwd, positionals[0]!, sdk);
  const chosen = pickHandler(file, values.handler);
  const functionName = functionNameOf(io.cwd, file.absolute, chosen.exportName, sdk);
  const shownFunction = displayFunction(functionName);
  if (file.importsAwsSdk && sdk === "replayable") {
    io.stderr.write(`note: ${file.shown} imports @aws/durable-execution-sdk-js; the CLI runs it on replayable's runtime, which has the same API (--sdk aws runs it on the official SDK).\n`);
  }

  const location = storeLocation(io.cwd, values.store, io.env);
  const store = await openStore(location);
  const following = values["no-follow"] !== true;
  // Registers only this function, so the worker claims only its executions: another
  // function's execution that comes due is left to the process that can run it.
  const engine = createEngine({ store, functions: { [functionName]: engineFunction(chosen, sdk) }, worker: following });
  const style = createStyle(colorWanted(io.stdout, io.env));
  // A lasting store error stops following (exit 4); a transient one is a line, and the engine retries.
  const stopped = new AbortController();
  let lasting: CliError | undefined;
  const repeated = new RepeatedLineFilter();
  engine.subscribe((event) => {
    if (event.type !== "worker-error") return;
    const reported = workerErrorLine(event.error, event.executionId, style);
    if (reported.lasting) {
      lasting ??= reported.lasting;
      stopped.abort();
    } else {
      const line = repeated.pass(reported.line);
      if (line !== undefined) io.stderr.write(`${line}\n`);
    }
  });
  try {
    const existing = values.id !== undefined ? await store.getExecution(values.id) : undefined;
    if (existing && existing.functionName !== functionName) {
      const theirs = functionRefOf(existing.functionName);
      const sdkOnly = theirs !== undefined && functionNameOf(io.cwd, file.absolute, chosen.exportName, theirs.sdk) === existing.functionName;
      const fix = sdkOnly ? (theirs.sdk === "aws" ? "continue it with --sdk aws, as it was started" : "continue it without --sdk aws, as it was started") : "pick another --id";
      throw usageError(`Execution ${existing.executionId} already exists in ${location.shown} and runs ${displayFunction(existing.functionName)}, not ${shownFunction}: ${fix}.`);
    }
    let execution: ExecutionRow;
    try {
      execution = await engine.start(functionName, input?.value, values.id !== undefined ? { executionId: values.id } : {});
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) throw usageError(error.message);
      throw error;
    }
    if (existing) {
      writeLines(io.stdout, [
        `${style.bold("▶")} ${style.bold(execution.executionId)}  ${shownFunction}  ${style.dim(`(store ${location.shown})`)}`,
        `  already in the store: ${await lambdaStatusOf(store, existing)}, started ${clockTime(existing.createdAt)}, ${existing.invocations} invocation${existing.invocations === 1 ? "" : "s"} so far; continuing it from its checkpoints` +
          (input && input.text.trim() !== existing.input && JSON.stringify(input.value) !== existing.input ? " (--input ignored: the execution keeps its original input)" : ""),
      ]);
    } else {
      writeLines(io.stdout, [`${style.bold("▶")} ${style.bold(execution.executionId)}  ${shownFunction}  ${style.dim(`(store ${location.shown})`)}`]);
    }
    if (!following) {
      writeLines(io.stdout, [
        `started; a worker runs it: replayable resume${location.args}`,
        `watch it: replayable show ${quoteArg(execution.executionId)}${location.args} --follow`,
      ]);
      return ExitCode.OK;
    }
    const interrupt = interruptSignal();
    let ended: ExecutionRow | undefined;
    try {
      ended = await follow({
        engine,
        executionId: execution.executionId,
        out: io.stdout,
        interactive: io.stdout.isTTY === true,
        style,
        hints: { storeArgs: location.args },
        signal: AbortSignal.any([interrupt.signal, stopped.signal]),
      });
    } finally {
      interrupt.dispose();
    }
    if (lasting) throw lasting;
    if (!ended) {
      writeLines(io.stderr, [
        `stopped following ${execution.executionId}; it stays in the store and continues where it left off with:`,
        `  replayable resume${location.args}     or     replayable run ${quoteArg(file.shown)}${values.handler !== undefined ? ` --handler ${quoteArg(values.handler)}` : ""}${sdk === "aws" ? " --sdk aws" : ""} --id ${quoteArg(execution.executionId)}${location.args}`,
      ]);
      return ExitCode.INTERRUPTED;
    }
    return ended.status === "SUCCEEDED" ? ExitCode.OK : ExitCode.EXECUTION_FAILED;
  } finally {
    await engine.close();
    await store.close();
  }
}
