#!/usr/bin/env node
import { runIdsCommand } from "./ids-command.js";

/** The `replayable` command; today it has one subcommand, `ids`. */
const [command, ...args] = process.argv.slice(2);
const io = { cwd: process.cwd(), stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text) };
if (command === "ids") {
  process.exitCode = runIdsCommand(args, io);
} else {
  io.stderr(`Usage: replayable ids [files or folders...] [--json] [--write] [--check]\n${command ? `unknown command ${command}\n` : ""}`);
  process.exitCode = command ? 2 : 0;
}
