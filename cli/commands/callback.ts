import { CallbackNotWaitingError, createEngine, UnknownCallbackError } from "../../engine/index.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../../engine/input-checks.js";
import { parseCommand, parseJsonArg } from "../args.js";
import { ExitCode, notFound, usageError } from "../exit-codes.js";
import { writeLines, type Io } from "../io.js";
import { openStore, quoteArg, storeExists, storeLocation } from "../store.js";

export const CALLBACK_USAGE = `Usage: replayable callback <callbackId> (--succeed <json> | --fail <message> | --heartbeat) [--store <path>]

Completes a callback an execution waits for (context.createCallback, context.waitForCallback).
\`replayable run\` and \`replayable show\` print the id and this command while it waits.

  --succeed <json>  the callback's result (JSON; @file.json reads a file)
  --fail <message>  fail the callback with this error message
  --heartbeat       tell a callback with a heartbeat timeout that its sender is still alive
  --store <path>    the store: an SQLite file (default .replayable/db.sqlite) or a postgres:// URL, or $REPLAYABLE_STORE

The execution continues when a worker picks it up: the \`replayable run\` that follows it,
or \`replayable resume\`.

Exit codes: 0 delivered, 2 bad arguments or JSON, 3 unknown callback or not waiting any more, 4 store unusable.
`;

export async function callbackCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(
    idAsPositional(args),
    { succeed: { type: "string" }, fail: { type: "string" }, heartbeat: { type: "boolean" }, store: { type: "string" } },
    CALLBACK_USAGE,
    { min: 1, max: 1, what: "the callback id: replayable callback <callbackId> --succeed <json>" },
  );
  const callbackId = positionals[0]!;
  const given = [values.succeed !== undefined, values.fail !== undefined, values.heartbeat === true].filter(Boolean).length;
  if (given !== 1) throw usageError(`give exactly one of --succeed <json>, --fail <message>, --heartbeat`, CALLBACK_USAGE);
  const result = values.succeed !== undefined ? parseJsonArg("--succeed", values.succeed, DEFAULT_MAX_PAYLOAD_BYTES) : undefined;

  const location = storeLocation(io.cwd, values.store, io.env);
  if (!storeExists(location)) throw notFound(`No callback ${shortId(callbackId)}: there is no store at ${location.shown}.`);
  const store = await openStore(location);
  const engine = createEngine({ store, worker: false });
  try {
    const target = await store.findCallback(callbackId);
    try {
      if (result) await engine.sendCallbackSuccess(callbackId, result.text);
      else if (values.fail !== undefined) await engine.sendCallbackFailure(callbackId, values.fail);
      else await engine.sendCallbackHeartbeat(callbackId);
    } catch (error) {
      if (error instanceof UnknownCallbackError) throw notFound(`${error.message} (store ${location.shown})`);
      // Completed, timed out, or its execution has ended: nothing is left to complete.
      if (error instanceof CallbackNotWaitingError) throw notFound(error.message);
      if (error instanceof TypeError || error instanceof RangeError) throw usageError(error.message);
      throw error;
    }
    const what = result ? "succeeded" : values.fail !== undefined ? "failed" : "heartbeat sent";
    const executionId = target?.executionId ?? "its execution";
    writeLines(io.stdout, [
      `callback ${what}: execution ${executionId} continues when a worker picks it up (the replayable run that follows it, or replayable resume${location.args})`,
      `watch it: replayable show ${quoteArg(executionId)}${location.args}`,
    ]);
    return ExitCode.OK;
  } finally {
    await engine.close();
    await store.close();
  }
}

/**
 * Callback ids are random base64url, so one in 64 begins with "-", which the option parser
 * takes for an option: the first argument that is not one of this command's options or an
 * option's value, and has the shape of an id, is passed as the id (after "--").
 */
function idAsPositional(args: readonly string[]): string[] {
  const takesValue = new Set(["--succeed", "--fail", "--store"]);
  const options = new Set([...takesValue, "--heartbeat", "--help", "-h"]);
  const rest: string[] = [];
  let id: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      rest.push(...args.slice(i));
      break;
    }
    if (takesValue.has(arg)) {
      rest.push(arg, ...args.slice(i + 1, i + 2));
      i++;
    } else if (id === undefined && arg.startsWith("-") && !options.has(arg) && /^-[A-Za-z0-9_-]{15,}$/.test(arg)) {
      id = arg;
    } else {
      rest.push(arg);
    }
  }
  if (id === undefined) return rest;
  return rest.includes("--") ? [...rest, id] : [...rest, "--", id];
}

function shortId(id: string): string {
  return id.length > 24 ? `${id.slice(0, 24)}…` : id;
}
