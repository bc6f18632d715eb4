// A handler written with the official SDK, on SqliteStore, survives its process: killed with
// SIGKILL during a wait, a new engine on the same file completes it, the charge ran once.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createEngine, SqliteStore } from "../../engine/index.js";
import { awsPayment } from "./programs/aws-payment.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-aws-restart-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startWorker(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<NodeJS.Signals | number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "programs/aws-engine-worker.ts"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  return { child, output: () => output, exited };
}

async function until(condition: () => boolean, what: string, output: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the worker printed:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("completes an official-SDK execution after its worker is killed with SIGKILL during a wait, charging once", async () => {
  const storePath = join(dir, "db.sqlite");
  const chargeLog = join(dir, "charges.log");
  const worker = startWorker([storePath, "start", "order-42", JSON.stringify({ orderId: "42", amount: 30, chargeLog })]);
  await until(() => worker.output().includes("settle STARTED"), "the wait to start", worker.output);
  worker.child.kill("SIGKILL");
  expect(await worker.exited).toBe("SIGKILL");
  expect(readFileSync(chargeLog, "utf8").trim().split("\n")).toHaveLength(1);

  // A new engine on the same file finds the execution and completes it from its checkpoints.
  const store = SqliteStore.open(storePath);
  const engine = createEngine({ store, functions: { payment: awsPayment }, pollMs: 20 });
  try {
    const before = await engine.getExecution("order-42");
    expect(before?.status).toBe("RUNNING");
    const names = (await engine.operations("order-42")).map((r) => `${r.Name ?? r.Id} ${r.Status}`);
    expect(names).toEqual(["execution STARTED", "charge SUCCEEDED", "settle STARTED"]);
    const done = await engine.waitForExecution("order-42", { timeoutMs: 20_000 });
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.result!)).toEqual({ charge: { chargeId: "ch_42", amount: 30 }, receipt: "receipt for ch_42" });
  } finally {
    await engine.close();
    await store.close();
  }
  const charges = readFileSync(chargeLog, "utf8").trim().split("\n");
  expect(charges).toHaveLength(1);
  expect(charges[0]).toMatch(/^charged 42 30 pid \d+$/);
  expect(charges[0]).toBe(`charged 42 30 pid ${worker.child.pid}`);
});
