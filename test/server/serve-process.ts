// `replayable serve` as users start it: the built bin in a child process on a loopback port,
// and a real @aws-sdk/client-lambda LambdaClient pointed at it with dummy credentials.
import { spawn, type ChildProcess } from "node:child_process";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { cliEnv, REPO, type CliBuild } from "../cli/cli-build.js";

export interface ServeProcess {
  url: string;
  client: LambdaClient;
  child: ChildProcess;
  output: () => string;
  /** Ctrl-C, and waits for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to clean up. */
  kill(): Promise<void>;
}

export async function startServe(cli: CliBuild, args: readonly string[], cwd = REPO): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cli.bin, "serve", "--port", "0", ...args], { cwd, env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const match = /the Lambda API on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      } else if (child.exitCode !== null || Date.now() - started > 30_000) {
        clearInterval(timer);
        reject(new Error(`serve did not start (exit ${child.exitCode}):\n${output}`));
      }
    }, 20);
  });
  const client = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
  return {
    url,
    client,
    child,
    output: () => output,
    stop: async () => {
      client.destroy();
      child.kill("SIGINT");
      return exited;
    },
    kill: async () => {
      client.destroy();
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Polls until `ready` returns something, or fails after `ms`. */
export async function eventually<T>(what: string, read: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
