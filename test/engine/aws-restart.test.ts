// A handler written with the official SDK, on SqliteStore, survives its process: killed with
// SIGKILL during a wait, a new engine on the same file completes it, the charge ran once.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createEngine, SqliteStore } from "../../engine/index.js";
import { startWorker, until } from "./worker-process.js";
import { awsPayment } from "./programs/aws-payment.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-aws-restart-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("completes an official-SDK execution after its worker is killed with SIGKILL during a wait, charging once", async () => {
  const storePath = join(dir, "db.sqlite");
  const chargeLog = join(dir, "charges.log");
  const worker = startWorker("aws-engine-worker.ts", [storePath, "start", "order-42", JSON.stringify({ orderId: "42", amount: 30, chargeLog })]);
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
