#!/usr/bin/env node
import { CliError, ExitCode } from "./exit-codes.js";
import { processIo, type Io } from "./io.js";
import { printableLines } from "./printable.js";

/**
 * The `replayable` command. Each subcommand is loaded when used, so `replayable ids` does
 * not open a store and `replayable list` does not load TypeScript.
 */

export const USAGE = `Usage: replayable <command> [options]

Run durable handlers on the local engine (an SQLite store, .replayable/db.sqlite by default):
  run <file> [--handler <name>] [--sdk aws] [--input <json>] [--id <id>] [--no-follow]
                   start an execution of the handler <file> exports and follow it
                   (--sdk aws: on the official @aws/durable-execution-sdk-js)
  list [--status <s>] [--limit <n>]
                   the executions in the store, newest first
  show <id> [--json] [--follow]
                   an execution's timeline and its result or error
  callback <callbackId> --succeed <json> | --fail <message> | --heartbeat
                   complete a callback an execution waits for
  resume [--once]  a worker: runs every execution that has work due
  console [--port <n>] [--open] [--key-file <path>]
                   a local web console for the executions (on 127.0.0.1, with a token)
  serve [<file>...] [--template <template.yaml>] [--port <n>]
                   a local Lambda endpoint: Invoke and the durable execution APIs over HTTP
  backup <file>    a consistent copy of the store (its WAL included), safe while it runs
  Every one of them takes --store <path> or --store postgres://... (or $REPLAYABLE_STORE).

Stable operation IDs (no store):
  ids [files or folders...] [--json] [--write] [--check]
                   list, pin or check the IDs of durable operations

Before deploy (no store):
  doctor [paths...] [--template <file>] [--format text|json|sarif]
                   check templates and handler code for the traps of durable functions

replayable <command> --help explains a command. Exit codes: 0 ok, 1 the execution failed,
2 usage or input error, 3 unknown execution or callback, 4 store unusable, 70 internal error,
130 interrupted (Ctrl-C).
`;

type Command = (args: readonly string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import("./commands/run.js")).runCommand,
  list: async () => (await import("./commands/list.js")).listCommand,
  show: async () => (await import("./commands/show.js")).showCommand,
  callback: async () => (await import("./commands/callback.js")).callbackCommand,
  resume: async () => (await import("./commands/resume.js")).resumeCommand,
  doctor: async () => (await import("./commands/doctor.js")).doctorCommand,
  console: async () => (await import("./commands/console.js")).consoleCommand,
  serve: async () => (await import("./commands/serve.js")).serveCommand,
  backup: async () => (await import("./commands/backup.js")).backupCommand,
  ids: async () => {
    const { runIdsCommand } = await import("../transformer/ids-command.js");
    return async (args, io) => runIdsCommand(args, { cwd: io.cwd, stdout: (text) => io.stdout.write(text), stderr: (text) => io.stderr.write(text) });
  },
};

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(USAGE);
    return ExitCode.OK;
  }
  if (name === "--version" || name === "-v") {
    const { createRequire } = await import("node:module");
    io.stdout.write(`${(createRequire(import.meta.url)("../../package.json") as { version: string }).version}\n`);
    return ExitCode.OK;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr.write(`replayable: unknown command ${name}\n\n${USAGE}`);
    return ExitCode.USAGE;
  }
  try {
    return await (await load())(args, io);
  } catch (error) {
    return report(error, `replayable ${name}`, io);
  }
}

/** Prints a command's error once, prefixed with the command (`replayable run: ...`); the messages themselves do not name it. */
function report(error: unknown, command: string, io: Io): number {
  if (error instanceof CliError) {
    if (error.exitCode === ExitCode.OK) {
      io.stdout.write(error.hint ?? "");
      return ExitCode.OK;
    }
    io.stderr.write(`${command}: ${printableLines(error.message)}\n`);
    if (error.hint) io.stderr.write(`\n${error.hint}`);
    return error.exitCode;
  }
  if (error instanceof Error && error.name === "StoreFileError") {
    io.stderr.write(`${command}: ${printableLines(error.message)}\n`);
    return ExitCode.STORE;
  }
  io.stderr.write(`${command}: internal error: ${printableLines(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
  return ExitCode.INTERNAL;
}

// Run only as the bin, not when imported (tests import main).
const invokedAs = process.argv[1] ? (await import("node:fs")).realpathSync(process.argv[1]) : "";
if (invokedAs === (await import("node:url")).fileURLToPath(import.meta.url)) {
  // `replayable list | head`: a closed pipe ends the command quietly. A run cut short this way is
  // like a crash: the engine continues the execution from its checkpoints next time.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" ? process.exit(ExitCode.OK) : undefined));
  }
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // Handler code may leave timers or sockets open: the command is done when its work is.
  setTimeout(() => process.exit(code), 1000).unref();
}
