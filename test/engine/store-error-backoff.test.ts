// A worker that meets a lasting store error on an execution (a damaged row) hands it back to
// be retried after a pause. Before: with a signal pending for it (a callback sent), the
// store's rule "a signal keeps its wake-up" made it due again at once, so every poll claimed
// it and met the same error (an engine-API user saw a worker-error per poll).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { createEngine, MemoryStore, SqliteStore, StoreFileError } from "../../engine/index.js";
import { withDurableExecution } from "../../runtime/index.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-store-error-backoff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("a damaged row with a callback pending: the worker retries once a second, not at every poll", async () => {
  const approval = withDurableExecution(async (_event: unknown, ctx) => {
    const prepared = await ctx.step("prepare", async () => "ready");
    const [callback] = await ctx.createCallback<string>("approve", { timeout: { seconds: 300 } });
    return { prepared, approved: await callback };
  });
  const path = join(dir, "store.sqlite");
  const store = SqliteStore.open(path);
  const engine = createEngine({ store, functions: { approval }, pollMs: 10, resumption: "replay" });
  const errors: number[] = [];
  engine.subscribe((event) => {
    if (event.type === "worker-error") errors.push(Date.now());
  });
  try {
    await engine.start("approval", {}, { executionId: "a-1" });
    let callbackId: string | undefined;
    for (let i = 0; i < 500 && !callbackId; i++) {
      callbackId = (await engine.operations("a-1")).find((r) => r.Type === "CALLBACK" && r.Status === "STARTED")?.CallbackDetails?.CallbackId;
      if (!callbackId) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Damage the finished step's row, then send the callback: the execution is due, and its replay cannot load.
    const db = new Database(path);
    db.prepare("UPDATE history SET record = substr(record, 1, 20) WHERE execution_key = (SELECT key FROM history_heads WHERE execution_id = 'a-1') AND json_extract(record, '$.Type') = 'STEP'").run();
    db.close();
    await engine.sendCallbackSuccess(callbackId!, JSON.stringify("yes"));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // The first error at once, then one retry a second later: 2 (before: one per 10 ms poll).
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeLessThanOrEqual(3);
  } finally {
    await engine.close();
    await store.close();
  }
});

it("claims that keep failing (a full disk) back off, doubling up to 5 s, instead of retrying a due execution at once in a loop", async () => {
  const handler = withDurableExecution(async () => "done");
  const store = new MemoryStore();
  let failing = true;
  const claimDue = store.claimDue.bind(store);
  const attempts: number[] = [];
  store.claimDue = async (...args: Parameters<MemoryStore["claimDue"]>) => {
    if (!failing) return claimDue(...args);
    attempts.push(Date.now());
    throw new StoreFileError("The disk holding the store is full (SQLITE_FULL).", { transient: true });
  };
  const engine = createEngine({ store, functions: { handler }, pollMs: 20 });
  engine.subscribe(() => undefined);
  try {
    await engine.start("handler", {}, { executionId: "due-1" }); // due at once, so without the back-off every round claims it
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // 20, 40, 80, 160, 320 ms apart: 6 attempts in the first second (before: one per event-loop turn, hundreds).
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.length).toBeLessThanOrEqual(8);
    failing = false;
    expect((await engine.waitForExecution("due-1", { timeoutMs: 10_000 })).status).toBe("SUCCEEDED");
  } finally {
    await engine.close();
  }
});
