import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { createEngine, SqliteStore } from "../../engine/index.js";
import { withDurableExecution } from "../../runtime/index.js";

// fixtures/store-v1.sqlite was written by replayable at ae2e949 (store schema 1: tables
// operations and updates), fixtures/store-v2.sqlite by replayable at 64834fd (schema 2: one
// history table indexed by execution), both with the handlers below and an engine clock
// starting 2026-12-01T12:00Z: done-1 and failing-1 ended, approval-1 and approval-2 wait for
// their callback (approval-2's success was sent and is a pending signal), sleeper-1 waits 2 hours.
const functions = {
  done: withDurableExecution(async (event: { x: number }, context) => {
    const a = await context.step("add", async () => event.x + 1);
    const b = await context.step("double", async () => a * 2);
    return { a, b };
  }),
  failing: withDurableExecution(async (_event, context) => {
    await context.step("fails", async () => {
      throw new Error("no luck");
    }, { retryStrategy: () => ({ shouldRetry: false }) });
  }),
  approval: withDurableExecution(async (_event, context) => {
    await context.step("prepare", async () => "ready");
    return context.waitForCallback("approve", async () => {}, { timeout: { hours: 1 } });
  }),
  sleeper: withDurableExecution(async (_event, context) => {
    await context.step("before", async () => 1);
    await context.wait("nap", { hours: 2 });
    return "woke";
  }),
};

const dir = mkdtempSync(join(tmpdir(), "replayable-migration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.each([1, 2])("opens a schema-%i store written by an earlier replayable, migrates it to schema 3, and finishes its executions from it", async (version) => {
  const path = join(dir, `store-v${version}.sqlite`);
  copyFileSync(new URL(`./fixtures/store-v${version}.sqlite`, import.meta.url), path);
  const store = SqliteStore.open(path);

  const raw = new Database(path, { readonly: true });
  expect(raw.pragma("user_version", { simple: true })).toBe(3);
  expect(raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('updates', 'operations', 'history', 'history_v2', 'history_heads') ORDER BY name").all()).toEqual([
    { name: "history" },
    { name: "history_heads" },
  ]);
  expect(raw.prepare("SELECT name FROM sqlite_schema WHERE name = 'history_execution'").all()).toEqual([]);
  // Every execution's chain ends at its latest row, and its heads row points there.
  expect(raw.prepare("SELECT execution_id, last_number FROM history_heads ORDER BY key").all()).toEqual(
    ["done-1", "failing-1", "approval-1", "approval-2", "sleeper-1"].map((id) => ({ execution_id: id, last_number: expect.any(Number) })),
  );
  raw.close();

  const statuses = Object.fromEntries((await store.listExecutions()).map((e) => [e.executionId, e.status]));
  expect(statuses).toEqual({ "done-1": "SUCCEEDED", "failing-1": "FAILED", "approval-1": "RUNNING", "approval-2": "RUNNING", "sleeper-1": "RUNNING" });
  expect((await store.getExecution("done-1"))?.result).toBe(JSON.stringify({ a: 21, b: 42 }));
  const describe = (id: string) => store.loadOperations(id).then((records) => records.map((r) => `${r.Type}:${r.Name ?? ""}:${r.Status}`));
  expect(await describe("done-1")).toEqual(["EXECUTION::SUCCEEDED", "STEP:add:SUCCEEDED", "STEP:double:SUCCEEDED"]);
  expect((await store.loadOperations("done-1")).map((r) => r.StepDetails?.Result)).toEqual([undefined, "21", "42"]);
  expect(await describe("failing-1")).toEqual(["EXECUTION::FAILED", "STEP:fails:FAILED"]);
  expect(await describe("sleeper-1")).toEqual(["EXECUTION::STARTED", "STEP:before:SUCCEEDED", "WAIT:nap:STARTED"]);
  // Every state of the history, numbered per execution as before, with dates restored.
  const history = await store.loadUpdates("done-1");
  expect(history.map((u) => [u.sequence, u.record.Name ?? u.record.Type, u.record.Status])).toEqual([
    [1, "EXECUTION", "STARTED"],
    [2, "add", "STARTED"],
    [3, "add", "SUCCEEDED"],
    [4, "double", "STARTED"],
    [5, "double", "SUCCEEDED"],
    [6, "EXECUTION", "SUCCEEDED"],
  ]);
  expect(history[0]!.record.StartTimestamp).toEqual(new Date(Date.UTC(2026, 11, 1, 12, 0, 0)));
  expect(history.every((u) => u.invocation === 1)).toBe(true);
  expect((await store.loadInvocations("done-1")).map((i) => i.outcome)).toEqual(["SUCCEEDED"]);
  // The callback index and the pending signal came along.
  const callbackOf = async (id: string) => (await store.loadOperations(id)).find((r) => r.Type === "CALLBACK")!.CallbackDetails!.CallbackId!;
  expect(await store.findCallback(await callbackOf("approval-1"))).toMatchObject({ executionId: "approval-1" });
  expect((await store.pendingSignals("approval-2")).map((s) => s.outcome)).toEqual([{ kind: "callback-succeeded", result: '"approved"' }]);

  // An engine on the migrated store finishes what waited, numbering the history on from schema 1's.
  let now = Date.UTC(2026, 11, 1, 12, 30); // before the callbacks' 1-hour timeout
  const engine = createEngine({ store, functions, clock: () => now });
  await engine.sendCallbackSuccess(await callbackOf("approval-1"), JSON.stringify("yes"));
  const approvals = await Promise.all(["approval-1", "approval-2"].map((id) => engine.waitForExecution(id, { timeoutMs: 20_000 })));
  now = Date.UTC(2026, 11, 1, 14, 30); // past the nap
  const ended = [...approvals, await engine.waitForExecution("sleeper-1", { timeoutMs: 20_000 })];
  expect(ended.map((e) => [e.status, e.result])).toEqual([
    // waitForCallback hands back the callback's payload text as sent.
    ["SUCCEEDED", JSON.stringify('"yes"')],
    ["SUCCEEDED", JSON.stringify('"approved"')],
    ["SUCCEEDED", '"woke"'],
  ]);
  expect((await store.loadUpdates("approval-2", 7)).map((u) => [u.sequence, u.invocation])).toEqual([
    [8, 2],
    [9, 2],
    [10, 2],
  ]);
  await engine.close();
  await store.close();

  // Opened again, it is schema 3 already: nothing to migrate, everything still there.
  const again = SqliteStore.open(path);
  expect((await again.loadOperations("done-1")).map((r) => r.Status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
  expect((await again.getExecution("approval-2"))?.status).toBe("SUCCEEDED");
  await again.close();
});
