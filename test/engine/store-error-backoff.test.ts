// A worker that meets a lasting store error on an execution (a damaged row) hands it back to
// be retried after a pause. Before: with a signal pending for it (a callback sent), the
// store's rule "a signal keeps its wake-up" made it due again at once, so every poll claimed
// it and met the same error (an engine-API user saw a worker-error per poll).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { createEngine, SqliteStore } from "../../engine/index.js";
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
    db.prepare("UPDATE history SET record = substr(record, 1, 20) WHERE execution_id = 'a-1' AND json_extract(record, '$.Type') = 'STEP'").run();
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
