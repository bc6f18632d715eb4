import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { encryptPayloads, PayloadKeyError, type EngineStore, type PayloadKey } from "../../engine/index.js";
import { startConsoleServer } from "../../server/console-server.js";
import { parseCommand, parsePositiveInteger } from "../args.js";
import { ExitCode, notFound, usageError } from "../exit-codes.js";
import { displayFunction, functionRefOf } from "../function-ref.js";
import { interruptSignal } from "../interrupt.js";
import { writeLines, type Io } from "../io.js";
import { openStore, storeExists, storeLocation } from "../store.js";

export const CONSOLE_USAGE = `Usage: replayable console [--store <path>] [--port <n>] [--open] [--key-file <path>] [--token <t>]

A local web console for the executions in the store: the list with filters and live updates,
each execution's timeline, its operations' payloads and history, and the callbacks it waits
for, completed from the page. It listens on 127.0.0.1 only; the URL it prints holds a random
token every request must carry. Ctrl-C stops it.

  --port <n>         the port (default 4700; 0 picks a free one)
  --open             open the URL in the default browser
  --key-file <path>  the payload keys of an encrypted store, one <id>:<base64 of 32 bytes> a line
                     (the first is the current key); without it encrypted payloads are not shown
  --token <t>        the token instead of a random one (16 to 128 characters from A-Z a-z 0-9 _ -),
                     so a script can print the URL before the console starts
  --store <path>     the store: an SQLite file (default .replayable/db.sqlite) or a postgres:// URL, or $REPLAYABLE_STORE

Exit codes: 0 stopped with Ctrl-C, 2 bad arguments or key file, 3 no store there, 4 store unusable.
`;

export async function consoleCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand(
    args,
    { store: { type: "string" }, port: { type: "string" }, open: { type: "boolean" }, "key-file": { type: "string" }, token: { type: "string" } },
    CONSOLE_USAGE,
    { min: 0, max: 0, what: "" },
  );
  const port = values.port === "0" ? 0 : parsePositiveInteger("--port", values.port, 4700, CONSOLE_USAGE);
  if (port > 65535) throw usageError(`--port must be at most 65535; got ${port}`, CONSOLE_USAGE);
  if (values.token !== undefined && !/^[A-Za-z0-9_-]{16,128}$/.test(values.token)) throw usageError("--token must be 16 to 128 characters from A-Z a-z 0-9 _ - (a guessable token lets any local page read the store)", CONSOLE_USAGE);
  const keys = values["key-file"] !== undefined ? readKeys(values["key-file"]) : undefined;
  const location = storeLocation(io.cwd, values.store, io.env);
  if (!storeExists(location)) throw notFound(`There is no store at ${location.shown} yet: replayable run <file>${location.args} creates it, or point --store at one.`);
  const sqlite = await openStore(location);
  let store: EngineStore = sqlite;
  try {
    if (keys) store = encryptPayloads(sqlite, { key: keys[0]!, fallbackKeys: keys.slice(1) });
  } catch (error) {
    await sqlite.close();
    if (error instanceof PayloadKeyError) throw usageError(`--key-file ${values["key-file"]}: ${error.message}`);
    throw error;
  }
  let server;
  try {
    server = await startConsoleServer({ store, changeVersion: () => sqlite.dataVersion(), port, token: values.token, describeFunction: displayFunction, storedFunctionName });
  } catch (error) {
    await sqlite.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw usageError(`port ${port} is in use (another console?): give another with --port`);
    throw error;
  }
  writeLines(io.stdout, [`console for ${location.shown}: ${server.url}`, "Ctrl-C to stop."]);
  if (values.open) openInBrowser(server.url, io);
  const interrupt = interruptSignal();
  try {
    await new Promise<void>((resolve) => interrupt.signal.addEventListener("abort", () => resolve(), { once: true }));
  } finally {
    interrupt.dispose();
    await server.close();
    await sqlite.close();
  }
  return ExitCode.OK;
}

/** `examples/run/order-payment.ts#orderPayment` (as the page shows it) to the name the store holds. */
function storedFunctionName(shown: string): string {
  const ref = functionRefOf(shown);
  return ref ? `${ref.file.split("/").join(":")}@${ref.exportName}${ref.sdk === "aws" ? "+aws" : ""}` : shown;
}

/** `<id>:<base64>` lines; the first is the current key, the others old ones (rotation). */
function readKeys(file: string): PayloadKey[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw usageError(`--key-file ${file}: cannot read it (${(error as Error).message})`);
  }
  const keys = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line, index) => {
      const match = /^([^:\s]+):([A-Za-z0-9+/=_-]+)$/.exec(line);
      if (!match) throw usageError(`--key-file ${file}, key ${index + 1}: write each key as <id>:<base64 of 32 bytes>`);
      return { id: match[1]!, key: Buffer.from(match[2]!, "base64") };
    });
  if (keys.length === 0) throw usageError(`--key-file ${file} holds no key: write one <id>:<base64 of 32 bytes> a line`);
  return keys;
}

function openInBrowser(url: string, io: Io): void {
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(command, [url], { stdio: "ignore", detached: true });
  child.on("error", () => writeLines(io.stderr, [`could not start ${command}; open the URL above yourself`]));
  child.unref();
}
