import { describe, expect, it } from "vitest";
import type { DurableContext, OperationRecord } from "../../runtime/index.js";
import { Journal, type JournalStore } from "../../runtime/journal.js";
import { runInvocation } from "../../runtime/run-invocation.js";
import { StepSemantics } from "../../runtime/types.js";

const record = (id: string, status: OperationRecord["Status"] = "SUCCEEDED"): OperationRecord => ({ Id: id, Type: "STEP", Status: status, StartTimestamp: new Date(0) });
const execution: OperationRecord = { Id: "execution", Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date(0), ExecutionDetails: { InputPayload: "{}" } };

/** A store with saveBatch whose saves complete only when the test releases them. */
class GatedBatchStore implements JournalStore {
  readonly batches: string[][] = [];
  private readonly gates: Array<{ open: () => void; fail: (e: Error) => void }> = [];
  load(): OperationRecord[] {
    return [execution];
  }
  save(): void {
    throw new Error("save must not be called when saveBatch exists");
  }
  saveBatch(records: OperationRecord[]): Promise<void> {
    this.batches.push(records.map((r) => `${r.Id}:${r.Status}`));
    return new Promise((open, fail) => this.gates.push({ open, fail }));
  }
  release(): void {
    this.gates.shift()!.open();
  }
  reject(error: Error): void {
    this.gates.shift()!.fail(error);
  }
}

const settled = (promise: Promise<void>) => {
  const state = { value: "pending" as "pending" | "resolved" | "rejected" };
  promise.then(
    () => (state.value = "resolved"),
    () => (state.value = "rejected"),
  );
  return state;
};
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("journal batching", () => {
  it("writes issued while a batch is saved go together in the next one, in order, each durable before it resolves", async () => {
    const store = new GatedBatchStore();
    const journal = new Journal(store, 1024);
    const a = settled(journal.write(record("a", "STARTED")));
    const b = settled(journal.write(record("b")));
    await nextMacrotask();
    // Writes of one synchronous stretch go in the first call.
    expect(store.batches).toEqual([["a:STARTED", "b:SUCCEEDED"]]);
    const c = settled(journal.write(record("c")));
    const a2 = settled(journal.write(record("a")));
    await nextMacrotask();
    expect(store.batches).toHaveLength(1); // the first batch is still being saved
    expect([a.value, b.value, c.value, a2.value]).toEqual(["pending", "pending", "pending", "pending"]);
    store.release();
    await nextMacrotask();
    expect([a.value, b.value, c.value, a2.value]).toEqual(["resolved", "resolved", "pending", "pending"]);
    expect(store.batches).toEqual([["a:STARTED", "b:SUCCEEDED"], ["c:SUCCEEDED", "a:SUCCEEDED"]]);
    store.release();
    await journal.flush();
    expect([c.value, a2.value]).toEqual(["resolved", "resolved"]);
  });

  it("a failed batch fails each of its writes and every later one, and nothing more is saved", async () => {
    const store = new GatedBatchStore();
    const journal = new Journal(store, 1024);
    const a = settled(journal.write(record("a")));
    await nextMacrotask();
    const b = settled(journal.write(record("b")));
    const c = settled(journal.write(record("c")));
    store.release();
    await nextMacrotask();
    expect(store.batches).toEqual([["a:SUCCEEDED"], ["b:SUCCEEDED", "c:SUCCEEDED"]]);
    store.reject(new Error("disk full"));
    await nextMacrotask();
    expect([a.value, b.value, c.value]).toEqual(["resolved", "rejected", "rejected"]);
    await expect(journal.write(record("d"))).rejects.toThrow("disk full");
    await expect(journal.flush()).rejects.toThrow("disk full");
    expect(store.batches).toHaveLength(2);
  });

  it("without saveBatch, records are saved one at a time, in order", async () => {
    const saved: string[] = [];
    const journal = new Journal({ load: () => [execution], save: async (r) => void saved.push(r.Id) }, 1024);
    await Promise.all([journal.write(record("a")), journal.write(record("b")), journal.write(record("c"))]);
    expect(saved).toEqual(["a", "b", "c"]);
  });

  it("a handler's checkpoints reach a batching store in fewer calls, with the same final records", async () => {
    const records = new Map<string, OperationRecord>([[execution.Id, execution]]);
    const calls: number[] = [];
    const store: JournalStore = {
      load: () => [...records.values()],
      save: () => {
        throw new Error("unused");
      },
      saveBatch: async (batch) => {
        calls.push(batch.length);
        await new Promise((resolve) => setTimeout(resolve, 2)); // a commit takes a while
        for (const r of batch) records.set(r.Id, r);
      },
    };
    const outcome = await runInvocation({
      store,
      executionArn: "arn:test:execution/batch",
      clock: () => 0,
      handler: async (_e, ctx: DurableContext) => Promise.all(Array.from({ length: 10 }, (_, i) => ctx.step(`s${i}`, async () => i))),
    });
    expect(outcome).toMatchObject({ status: "SUCCEEDED", result: JSON.stringify([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) });
    const written = calls.reduce((sum, n) => sum + n, 0);
    expect(written).toBe(20); // STARTED and SUCCEEDED of each step
    expect(calls.length).toBeLessThan(written);
    expect([...records.values()].filter((r) => r.Type === "STEP").map((r) => `${r.Id}:${r.Status}`)).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}#0:SUCCEEDED`));
  });

  it("a failing batch fails the invocation", async () => {
    const outcome = await runInvocation({
      store: { load: () => [execution], save: () => undefined, saveBatch: async () => Promise.reject(new Error("database is locked")) },
      executionArn: "arn:test:execution/batch-fail",
      clock: () => 0,
      handler: async (_e, ctx: DurableContext) => ctx.step("s", async () => 1),
    });
    expect(outcome).toMatchObject({ status: "FAILED", error: { ErrorMessage: "database is locked" } });
  });

  describe("one commit per at-least-once step", () => {
    /** A store recording each saveBatch call's records; saves take a little while, as a commit does. */
    const countingStore = () => {
      const records = new Map<string, OperationRecord>([[execution.Id, execution]]);
      const batches: string[][] = [];
      const store: JournalStore = {
        load: () => [...records.values()],
        save: () => {
          throw new Error("unused");
        },
        saveBatch: async (batch) => {
          batches.push(batch.map((r) => `${r.Name}:${r.Status}`));
          await nextMacrotask();
          for (const r of batch) records.set(r.Id, r);
        },
      };
      return { store, batches, records };
    };
    const run = (store: JournalStore, handler: (e: unknown, ctx: DurableContext) => Promise<unknown>) =>
      runInvocation({ store, executionArn: "arn:test:execution/one-commit", clock: () => 0, handler });

    it("a body that ends within the event loop's turn saves its START and SUCCEED in one batch (two before)", async () => {
      const { store, batches } = countingStore();
      const outcome = await run(store, async (_e, ctx) => {
        const a = await ctx.step("a", async () => 1);
        const b = await ctx.step("b", async () => (await Promise.resolve(), a + 1)); // awaits inside the body: still one turn
        return ctx.step("c", async () => b + 1);
      });
      expect(outcome).toMatchObject({ status: "SUCCEEDED", result: "3" });
      expect(batches).toEqual([
        ["a:STARTED", "a:SUCCEEDED"],
        ["b:STARTED", "b:SUCCEEDED"],
        ["c:STARTED", "c:SUCCEEDED"],
      ]);
    });

    it("a waitForCondition check that ends within the turn saves its START with its outcome", async () => {
      const { store, batches } = countingStore();
      const outcome = await run(store, async (_e, ctx) =>
        ctx.waitForCondition("poll", async (n: number) => n + 1, { initialState: 0, waitStrategy: (n) => (n >= 1 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }) }),
      );
      expect(outcome).toMatchObject({ status: "SUCCEEDED", result: "1" });
      expect(batches).toEqual([["poll:STARTED", "poll:SUCCEEDED"]]);
    });

    it("a body that outlasts the turn has its START saved while it runs, then its SUCCEED", async () => {
      const { store, batches } = countingStore();
      let seenWhileRunning: string[][] = [];
      await run(store, async (_e, ctx) =>
        ctx.step("slow", async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          seenWhileRunning = batches.map((b) => [...b]);
          return 1;
        }),
      );
      expect(seenWhileRunning).toEqual([["slow:STARTED"]]);
      expect(batches).toEqual([["slow:STARTED"], ["slow:SUCCEEDED"]]);
    });

    it("an at-most-once step's START is durable before its body runs", async () => {
      const { store, batches, records } = countingStore();
      let startDurable: string | undefined;
      await run(store, async (_e, ctx) =>
        ctx.step("once", async () => ((startDurable = [...records.values()].find((r) => r.Name === "once")?.Status), 1), { semantics: StepSemantics.AtMostOncePerRetry }),
      );
      expect(startDurable).toBe("STARTED");
      expect(batches).toEqual([["once:STARTED"], ["once:SUCCEEDED"]]);
    });

    it("flush() saves a deferred START that nothing else has taken along", async () => {
      const saved: string[] = [];
      const journal = new Journal({ load: () => [execution], save: async (r) => void saved.push(`${r.Id}:${r.Status}`) }, 1024);
      const start = settled(journal.write(record("a", "STARTED"), { deferred: true }));
      await journal.flush();
      expect(saved).toEqual(["a:STARTED"]);
      expect(start.value).toBe("resolved");
    });
  });
});
