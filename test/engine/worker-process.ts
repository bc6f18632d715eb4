import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

/** A worker program from test/engine/programs/ in its own process, with its output collected. */
export function startWorker(program: string, args: string[]): { child: ChildProcess; output: () => string; exited: Promise<NodeJS.Signals | number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "programs", program), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  return { child, output: () => output, exited };
}

/** Polls until the condition holds; on timeout, fails with what the worker printed. */
export async function until(condition: () => boolean, what: string, output: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the worker printed:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
