// `npm run torture` stopped with Ctrl-C (SIGINT) or SIGTERM: the worker processes it started
// end with it, including one it had frozen (SIGSTOP), which would otherwise stay stopped.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { tortureFilesDir } from "./torture/harness.js";

const script = fileURLToPath(new URL("../../scripts/torture.mjs", import.meta.url));
const dir = tortureFilesDir("replayable-torture-interrupt-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The pids of every process below `pid` (children, grandchildren, ...). */
function descendants(pid: number): number[] {
  const table = spawnSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" }).stdout.trim().split("\n").map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of table) {
      if (ppid === parent) {
        found.push(child!);
        visit(child!);
      }
    }
  };
  visit(pid);
  return found;
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it.each(["SIGINT", "SIGTERM"] as const)("a torture stopped with %s takes its worker processes with it, a frozen one too", { timeout: 120_000 }, async (signal) => {
  const torture = spawn(process.execPath, [script, "--kills", "100000", "--engines", "2", "--dir", dir, "--keep", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  torture.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  torture.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => torture.on("exit", (code) => resolve(code)));
  try {
    await interruptAndCheck(torture.pid!, () => torture.kill(signal), exited, () => output, signal);
  } finally {
    // Whatever failed above, nothing of this torture outlives the test (once it has exited, the check killed what it left).
    if (torture.exitCode === null && torture.signalCode === null) for (const pid of [...descendants(torture.pid!), torture.pid!]) if (alive(pid)) process.kill(pid, "SIGKILL");
  }
});

async function interruptAndCheck(pid: number, interrupt: () => void, exited: Promise<number | null>, output: () => string, signal: string): Promise<void> {
  // Once the rounds run (the harness's workers are node processes running the worker bundle),
  // one is frozen as the harness freezes them (a SIGSTOP it has not undone yet). The harness
  // kills workers all the time, so the one picked may be gone already: then another is.
  let frozen: number | undefined;
  for (let i = 0; i < 600 && frozen === undefined; i++) {
    await sleep(100);
    const workers = descendants(pid).filter((child) => /worker\.mjs/.test(spawnSync("ps", ["-o", "args=", "-p", String(child)], { encoding: "utf8" }).stdout));
    if (workers.length < 2) continue;
    try {
      process.kill(workers[0]!, "SIGSTOP");
      frozen = workers[0];
    } catch {
      // exited since: try again
    }
  }
  expect(frozen, output()).toBeDefined();
  const everyone = descendants(pid);
  interrupt();
  const code = await exited;
  expect(code, output()).not.toBe(0);
  // The workers end within a moment of the harness.
  for (let i = 0; i < 50 && everyone.some(alive); i++) await sleep(100);
  const left = everyone.filter(alive);
  for (const pid of left) process.kill(pid, "SIGKILL");
  expect(left, `processes left running after ${signal}: ${left.join(", ")}\n${output()}`).toEqual([]);
}
