/**
 * A callback completes once: of several senders exactly one is told it was delivered, the
 * others get CallbackNotWaitingError, and the answer a sender gets agrees with what the
 * execution does, also at the callback's deadline (a completion counts iff it was committed
 * before the deadline).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CallbackNotWaitingError, createEngine, MemoryStore, SqliteStore, type Engine, type EngineStore } from "../../engine/index.js";
import { withDurableExecution } from "../../runtime/index.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-callback-completion-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const approval = withDurableExecution(async (_event, context) => {
  const [promise] = await context.createCallback("approve", { timeout: { seconds: 10 } });
  try {
    return { approved: await promise };
  } catch (error) {
    return { error: (error as Error).name };
  }
});

async function waitingCallbackId(engine: Engine, executionId: string): Promise<string> {
  const record = (await engine.operations(executionId)).find((r) => r.Type === "CALLBACK" && r.Status === "STARTED");
  if (!record?.CallbackDetails?.CallbackId) throw new Error("no waiting callback");
  return record.CallbackDetails.CallbackId;
}

/** An engine driven by hand (runDue) on a clock the test moves. */
function manualEngine(store: EngineStore, clock: { now: number }): Engine {
  return createEngine({ store, functions: { approval }, worker: false, clock: () => clock.now });
}

describe.each([
  ["MemoryStore", () => new MemoryStore()],
  ["SqliteStore", () => SqliteStore.open(join(dir, `store-${++files}.sqlite`))],
] as Array<[string, () => EngineStore]>)("callback completion on %s", (_name, makeStore) => {
  it("two concurrent senders: exactly one is delivered, the other gets CallbackNotWaitingError, one signal is stored", async () => {
    const store = makeStore();
    const clock = { now: 1_000_000 };
    const engine = manualEngine(store, clock);
    try {
      const { executionId } = await engine.start("approval", {}, { executionId: "race-1" });
      await engine.runDue();
      const id = await waitingCallbackId(engine, executionId);
      const answers = await Promise.allSettled([engine.sendCallbackSuccess(id, '"first"'), engine.sendCallbackFailure(id, "second"), engine.sendCallbackSuccess(id, '"third"')]);
      const delivered = answers.filter((a) => a.status === "fulfilled");
      const refused = answers.filter((a): a is PromiseRejectedResult => a.status === "rejected");
      expect(delivered).toHaveLength(1);
      expect(refused).toHaveLength(2);
      for (const r of refused) {
        expect(r.reason).toBeInstanceOf(CallbackNotWaitingError);
        expect((r.reason as Error).message).toMatch(/no longer waiting: it has already been completed by another sender/);
      }
      expect((await store.pendingSignals(executionId)).filter((s) => s.outcome.kind !== "callback-heartbeat")).toHaveLength(1);
      await engine.runDue();
      const ended = await engine.getExecution(executionId);
      // The winner is the first call (the senders run in order in one process); its value is what the handler got.
      expect(JSON.parse(ended!.result!)).toEqual({ approved: '"first"' });
    } finally {
      await engine.close();
      await store.close();
    }
  });

  it("a completion committed at the deadline is refused and the execution times out; one before it counts even when the worker runs later", async () => {
    const store = makeStore();
    const clock = { now: 2_000_000 };
    const engine = manualEngine(store, clock);
    try {
      const late = await engine.start("approval", {}, { executionId: "at-deadline" });
      const early = await engine.start("approval", {}, { executionId: "before-deadline" });
      await engine.runDue();
      const lateId = await waitingCallbackId(engine, late.executionId);
      const earlyId = await waitingCallbackId(engine, early.executionId);
      clock.now += 10_000 - 1;
      await engine.sendCallbackSuccess(earlyId, '"in time"');
      clock.now += 1; // exactly the deadline: no worker has run since
      await expect(engine.sendCallbackSuccess(lateId, '"too late"')).rejects.toThrow(CallbackNotWaitingError);
      await expect(engine.sendCallbackSuccess(lateId, '"too late"')).rejects.toThrow(/no longer waiting: it timed out at .* \(its timeout\), before this completion arrived/);
      clock.now += 5_000;
      await expect(engine.sendCallbackHeartbeat(lateId)).rejects.toThrow(/timed out/);
      await engine.runDue();
      expect(JSON.parse((await engine.getExecution(late.executionId))!.result!)).toEqual({ error: "CallbackTimeoutError" });
      expect(JSON.parse((await engine.getExecution(early.executionId))!.result!)).toEqual({ approved: '"in time"' });
    } finally {
      await engine.close();
      await store.close();
    }
  });
});

it("two engines on one SQLite file, each with its own connection: one sender wins", async () => {
  const path = join(dir, "two-engines.sqlite");
  const stores = [SqliteStore.open(path), SqliteStore.open(path)];
  const clock = { now: 3_000_000 };
  const engines = stores.map((s) => manualEngine(s, clock));
  try {
    const { executionId } = await engines[0]!.start("approval", {}, { executionId: "two-engines" });
    await engines[0]!.runDue();
    const id = await waitingCallbackId(engines[0]!, executionId);
    const answers = await Promise.allSettled(engines.map((e, i) => e.sendCallbackSuccess(id, JSON.stringify(`engine ${i}`))));
    expect(answers.map((a) => a.status).sort()).toEqual(["fulfilled", "rejected"]);
    await engines[1]!.runDue();
    const winner = answers.findIndex((a) => a.status === "fulfilled");
    expect(JSON.parse((await engines[1]!.getExecution(executionId))!.result!)).toEqual({ approved: JSON.stringify(`engine ${winner}`) });
  } finally {
    for (const e of engines) await e.close();
    for (const s of stores) await s.close();
  }
});
