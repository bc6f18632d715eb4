#!/usr/bin/env node
// The long crash torture: `npm run torture -- --kills 10000 [--engines 1|2|3] [--seed n]
// [--executions n] [--dir path] [--keep] [--quiet]`. The harness lives with its tests in
// test/reliability/torture/ (TypeScript, run here through tsx; its worker is bundled with
// esbuild). Its last line prints kills, executions, violations; the exit code is 1 when an
// invariant was violated.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../test/reliability/torture/cli.ts", import.meta.url));
const child = spawn(process.execPath, ["--import", "tsx", cli, ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
