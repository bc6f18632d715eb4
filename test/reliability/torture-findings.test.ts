// Minimal reproductions of what the crash torture found in the engine (all fixed in
// engine/engine.ts); each failed before its fix.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createEngine, MemoryStore, SqliteStore, type CommitBatch } from "../../engine/index.js";
import { withDurableExecution } from "../../runtime/index.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-torture-findings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Blocks the event loop, as a synchronous step body or a paused process does. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

it("reports an operation state only once it is committed, also the states the engine writes (a fired wait, the execution's start)", async () => {
  // Before: the states the engine itself set when an invocation opened were reported before
  // their commit, so a worker killed in between had acknowledged states the store never held.
  const committed = new Set<string>();
  class SlowStore extends MemoryStore {
    override async commit(batch: CommitBatch): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await super.commit(batch);
      for (const record of batch.operations) committed.add(`${record.Id} ${record.Status}`);
    }
  }
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.wait("w", { seconds: 0.05 });
    return "done";
  });
  const engine = createEngine({ store: new SlowStore(), functions: { handler }, pollMs: 10 });
  const early: string[] = [];
  engine.subscribe((event) => {
    if (event.type === "operation" && !committed.has(`${event.record.Id} ${event.record.Status}`)) early.push(`${event.record.Id} ${event.record.Status}`);
  });
  await engine.start("handler", {}, { executionId: "x" });
  expect((await engine.waitForExecution("x", { timeoutMs: 10_000 })).status).toBe("SUCCEEDED");
  await engine.close();
  expect(early).toEqual([]); // before the fix: ["execution STARTED", "w#0 SUCCEEDED"]
});

it("finishes an execution whose worker stalled longer than its lease in the middle of it", async () => {
  // Before: the stalled worker claimed its own execution again while still running it; the
  // second run, finding the handler live and nothing to deliver, released the execution with
  // no wake-up time, and the first run's commits were then refused: RUNNING forever, unclaimable.
  let runs = 0;
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.step("slow", async () => {
      // Once: a synchronous step body (or a paused process) outlasting the 300 ms lease.
      if (runs++ === 0) stall(700);
      return 1;
    });
    await ctx.wait("w", { seconds: 0.1 });
    return "done";
  });
  const store = SqliteStore.open(join(dir, "stall.sqlite"));
  const engine = createEngine({ store, functions: { handler }, leaseMs: 300, pollMs: 10 });
  try {
    await engine.start("handler", {}, { executionId: "x" });
    const done = await engine.waitForExecution("x", { timeoutMs: 10_000 });
    expect([done.status, done.result]).toEqual(["SUCCEEDED", '"done"']);
    const terminal = (await engine.history("x")).filter((u) => u.record.Status === "SUCCEEDED").map((u) => u.record.Id);
    expect(terminal.sort()).toEqual(["execution", "slow#0", "w#0"]);
  } finally {
    await engine.close();
    await store.close();
  }
});

it("finishes a step whose body always outlasts the lease, on a lone worker", async () => {
  // Before: when the worker's poll ran before its lease renewal after the stall, it claimed its
  // own running execution again, fencing out the run that was about to commit the step: the
  // step ran again, stalled again, and so on forever. (Renewal first: it runs once.)
  let runs = 0;
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.step("slow", async () => {
      runs += 1;
      stall(500);
      return 1;
    });
    return "done";
  });
  const store = SqliteStore.open(join(dir, "always-stalls.sqlite"));
  const engine = createEngine({ store, functions: { handler }, leaseMs: 200, pollMs: 5 });
  try {
    await engine.start("handler", {}, { executionId: "x" });
    const done = await engine.waitForExecution("x", { timeoutMs: 10_000 });
    expect([done.status, done.result, runs]).toEqual(["SUCCEEDED", '"done"', 1]);
  } finally {
    await engine.close();
    await store.close();
  }
});
