/**
 * The `replayable` bin as `npm run build` lays it out (dist/cli/bin.js beside dist/engine,
 * dist/runtime, dist/transformer, dist/analysis), compiled from the current sources with
 * esbuild into a temporary package, so the CLI tests run the code under test, in a real
 * child process, without a full tsc build. node_modules is the repository's.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCE_FOLDERS = ["cli", "engine", "runtime", "transformer", "analysis", "server", "history"];

export interface CliBuild {
  /** The temporary package root (holds package.json, dist/, node_modules -> the repository's). */
  readonly root: string;
  /** dist/cli/bin.js inside it. */
  readonly bin: string;
  remove(): void;
}

export async function buildCli(): Promise<CliBuild> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-cli-build-"));
  const entryPoints = SOURCE_FOLDERS.flatMap((folder) =>
    fs
      .readdirSync(path.join(REPO, folder), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
      .map((file) => path.join(REPO, folder, file)),
  );
  await build({ entryPoints, outdir: path.join(root, "dist"), outbase: REPO, bundle: false, format: "esm", platform: "node", target: "node20", sourcemap: "inline", logLevel: "silent" });
  fs.copyFileSync(path.join(REPO, "package.json"), path.join(root, "package.json"));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"), "dir");
  return { root, bin: path.join(root, "dist/cli/bin.js"), remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The test process's environment without color or a store from outside, plus `extra`. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env["FORCE_COLOR"];
  delete env["REPLAYABLE_STORE"];
  return { ...env, ...extra };
}

function spawnCli(bin: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: cliEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs the bin to completion (plain output: stdout is a pipe; NO_COLOR set). */
export function runCli(bin: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(bin, args, options);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the bin in the background; `lines` sees stdout as it comes. */
export function startCli(bin: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const child = spawnCli(bin, args, options);
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ test: (text: string) => boolean; resolve: () => void }> = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const waiter of [...waiters]) {
      if (waiter.test(stdout)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Resolves when stdout matches; rejects if the process exits first or after timeoutMs. */
    until(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
      if (pattern.test(stdout)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} after ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
        waiters.push({ test: (text) => pattern.test(text), resolve: () => (clearTimeout(timer), resolve()) });
        void exited.then(() => {
          clearTimeout(timer);
          if (!pattern.test(stdout)) reject(new Error(`exited before ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`));
        });
      });
    },
  };
}
