// The AWS CLI for test/server/aws-cli.test.ts, started once. AWS CLI v1 is a Python script:
// its Python runs aws-cli-driver.py, which answers every command with the CLI's own code
// (awscli.clidriver) in one warm process; starting `aws` for each command costs 5 to 9 s on
// a loaded machine. Any other `aws` (a v2 binary) is started for each command.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { REPO } from "../cli/cli-build.js";

export interface AwsResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AwsCli {
  /** `aws <args>` in `cwd`. */
  run(args: readonly string[], cwd: string): Promise<AwsResult>;
  close(): void;
}

/** Starts the `aws` named (on PATH, or a path); fails saying what to install when it is absent or does not know Lambda's durable execution commands. */
export async function startAwsCli(command: string, env: NodeJS.ProcessEnv): Promise<AwsCli> {
  const path = spawnSync("sh", ["-c", 'command -v "$0"', command], { env, encoding: "utf8" }).stdout.trim();
  if (!path) throw new Error(`The AWS CLI is needed for this test and \`${command}\` is not on PATH. Install AWS CLI 1.45 or later (pip install awscli) and put \`aws\` on PATH, or set REPLAYABLE_AWS_CLI to its path.`);
  const python = pythonOf(path, env);
  const cli = python ? warmCli(python, env) : processPerCommand(path, env);
  // A CLI that knows the command asks for its --callback-id; an older one says "Invalid choice".
  const probe = await cli.run(["lambda", "send-durable-execution-callback-success"], REPO);
  if (!probe.stderr.includes("--callback-id")) {
    cli.close();
    throw new Error(`\`${path}\` does not know Lambda's durable execution commands (send-durable-execution-callback-success: ${probe.stderr.trim()}). Install a newer AWS CLI (1.45.11 is known to work; Debian's awscli 2.9.19 is too old) or set REPLAYABLE_AWS_CLI.`);
  }
  return cli;
}

/** The Python interpreter of a Python `aws` script, following a pyenv shim to the script it runs. */
function pythonOf(path: string, env: NodeJS.ProcessEnv): string | undefined {
  let script = readFileSync(path, "latin1").slice(0, 4096);
  const pyenv = /exec "([^"]+\/pyenv)" exec/.exec(script)?.[1];
  if (pyenv) {
    const target = spawnSync(pyenv, ["which", basename(path)], { env, encoding: "utf8" }).stdout.trim();
    script = target ? readFileSync(target, "latin1").slice(0, 4096) : "";
  }
  const interpreter = /^#!\s*(\S*python[\d.]*)\s*$/m.exec(script.split("\n")[0] ?? "")?.[1];
  return interpreter && script.includes("awscli.clidriver") ? interpreter : undefined;
}

function warmCli(python: string, env: NodeJS.ProcessEnv): AwsCli {
  const child = spawn(python, [join(REPO, "test/server/aws-cli-driver.py")], { env, stdio: ["pipe", "pipe", "inherit"] });
  const waiting: Array<(result: AwsResult) => void> = [];
  let exited: Error | undefined;
  createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.(JSON.parse(line) as AwsResult));
  child.on("exit", (code, signal) => {
    exited = new Error(`the AWS CLI driver (${python}) exited (${signal ?? `code ${code}`})`);
    for (const resolve of waiting.splice(0)) resolve({ code: null, stdout: "", stderr: exited.message });
  });
  return {
    run: (args, cwd) =>
      new Promise((resolve) => {
        if (exited) return resolve({ code: null, stdout: "", stderr: exited.message });
        waiting.push(resolve);
        child.stdin.write(`${JSON.stringify({ args, cwd })}\n`);
      }),
    close: () => child.kill(),
  };
}

function processPerCommand(path: string, env: NodeJS.ProcessEnv): AwsCli {
  return {
    run: (args, cwd) =>
      new Promise((resolve, reject) => {
        const child = spawn(path, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      }),
    close: () => undefined,
  };
}
