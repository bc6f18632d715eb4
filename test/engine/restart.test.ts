import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createEngine, SqliteStore } from "../../engine/index.js";
import { startWorker, until } from "./worker-process.js";
import { payment } from "./programs/payment.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-restart-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("completes an execution after its worker is killed with SIGKILL during a wait, charging once", async () => {
  const storePath = join(dir, "db.sqlite");
  const chargeLog = join(dir, "charges.log");
  const worker = startWorker("engine-worker.ts", [storePath, "start", "order-42", JSON.stringify({ orderId: "42", amount: 30, chargeLog })]);
  await until(() => worker.output().includes("settle#0 STARTED"), "the wait to start", worker.output);
  worker.child.kill("SIGKILL");
  expect(await worker.exited).toBe("SIGKILL");
  expect(readFileSync(chargeLog, "utf8").trim().split("\n")).toHaveLength(1);

  // A new engine on the same file finds the execution and completes it from its checkpoint.
  const store = SqliteStore.open(storePath);
  const engine = createEngine({ store, functions: { payment }, pollMs: 20 });
  try {
    const before = await engine.getExecution("order-42");
    expect(before?.status).toBe("RUNNING");
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
});
