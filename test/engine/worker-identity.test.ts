import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { isDeadLocalWorker, newWorkerId } from "../../engine/worker-identity.js";
import { startWorker, until } from "./worker-process.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-worker-identity-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const namespace = newWorkerId().split("/")[3]!;

it("recognises a worker of this host, boot and PID namespace whose process has died, and nothing else", async () => {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
  const owner = `${hostname()}/${child.pid}/abcd1234/${namespace}`;
  expect(isDeadLocalWorker(owner)).toBe(false);
  child.kill("SIGKILL");
  await new Promise((resolve) => child.on("exit", resolve));
  expect(isDeadLocalWorker(owner)).toBe(true);
  expect(isDeadLocalWorker(`another-host/${child.pid}/abcd1234/${namespace}`)).toBe(false);
  // Another PID namespace or boot, or an id without one (an older replayable): the pid means nothing here.
  expect(isDeadLocalWorker(`${hostname()}/${child.pid}/abcd1234/${namespace.replace(/:\d+$/, ":1")}`)).toBe(false);
  expect(isDeadLocalWorker(`${hostname()}/${child.pid}/abcd1234`)).toBe(false);
  expect(isDeadLocalWorker(newWorkerId())).toBe(false);
  expect(isDeadLocalWorker("worker-without-pid")).toBe(false);
  expect(namespace).toMatch(/^[0-9a-f-]{36}:\d+$/); // boot id : PID namespace inode (Linux)
  expect(newWorkerId()).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/${process.pid}/[0-9a-f]{8}/${namespace}$`));
});

const canUnshare = process.getuid?.() === 0 && existsSync("/usr/bin/unshare");

it.runIf(canUnshare)("a live worker in another PID namespace (unshare --pid) is not taken for dead: its running step is not started again", async () => {
  const store = join(dir, "namespaces.sqlite");
  const sideLog = join(dir, "namespaces.log");
  // A pid that exists in the new namespace but not here, so a pid-only liveness check would call it dead.
  let pid = 40;
  while (pidExists(pid)) pid++;
  const program = join(import.meta.dirname, "programs/slow-step-worker.ts");
  const inner = spawn(
    "/usr/bin/unshare",
    ["--pid", "--fork", "--kill-child", "sh", "-c", `i=2; while [ $i -lt ${pid} ]; do /bin/true; i=$((i+1)); done; "$0" --import tsx "$@"`, process.execPath, program, store, sideLog, "start", "ns-1"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let innerOutput = "";
  inner.stdout.on("data", (chunk) => (innerOutput += chunk));
  inner.stderr.on("data", (chunk) => (innerOutput += chunk));
  const innerExited = new Promise((resolve) => inner.on("exit", resolve));
  try {
    await until(() => existsSync(sideLog), "the step to start in the other namespace", () => innerOutput);
    expect(innerOutput).toMatch(new RegExp(`^worker ${hostname().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/${pid}/`));
    expect(innerOutput).not.toContain(namespace); // another PID namespace
    // A worker here, on the same store, while the step runs there (its lease is live for 8 s).
    const outer = startWorker("slow-step-worker.ts", [store, sideLog, "wait", "ns-1"]);
    await outer.exited;
    await innerExited;
    expect(readFileSync(sideLog, "utf8").trim().split("\n")).toHaveLength(1); // started once, by the inner worker
  } finally {
    inner.kill("SIGKILL");
  }
}, 60_000);

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

