/**
 * The ids of invoked executions (childExecutionId) are the engine's: a user cannot start an
 * execution under one, and an execution found under one that this invoke did not start
 * (a store written before the refusal) fails the invoke clearly instead of hanging it.
 */
import { expect, it } from "vitest";
import { childExecutionId, createEngine, MemoryStore } from "../../engine/index.js";
import { withDurableExecution } from "../../runtime/index.js";

const child = withDurableExecution(async (event: { x: number }) => event.x * 2);
const parent = withDurableExecution(async (_event, context) => {
  try {
    return { paid: await context.invoke("pay", "child", { x: 21 }) };
  } catch (error) {
    return { failed: (error as Error).message };
  }
});

it("start() refuses an id in the derived namespace", async () => {
  const store = new MemoryStore();
  const engine = createEngine({ store, functions: { child, parent }, worker: false });
  try {
    const derived = childExecutionId("p-1", "pay#0");
    await expect(engine.start("child", { x: 1 }, { executionId: derived })).rejects.toThrow(/ids of the form invoke-<32 hex digits> are the engine's/);
    expect(await engine.getExecution(derived)).toBeUndefined();
  } finally {
    await engine.close();
  }
});

it("an execution already under the derived child id fails the parent's invoke clearly, and the other execution is untouched", async () => {
  const store = new MemoryStore();
  const engine = createEngine({ store, functions: { child, parent }, pollMs: 10 });
  try {
    const first = await engine.start("parent", {}, { executionId: "probe" });
    await engine.waitForExecution(first.executionId, { timeoutMs: 5000 });
    const invokeId = (await engine.operations("probe")).find((r) => r.Type === "CHAINED_INVOKE")!.Id;
    const taken = childExecutionId("p-1", invokeId);
    await store.createExecution({ executionId: taken, functionName: "child", input: '{"x":1}', createdAt: Date.now(), nextWakeAt: Date.now() });
    await engine.start("parent", {}, { executionId: "p-1" });
    const ended = await engine.waitForExecution("p-1", { timeoutMs: 5000 });
    expect(JSON.parse(ended.result!)).toEqual({ failed: expect.stringContaining(`its id ${taken} is taken by another execution (of child), not started by this invoke`) });
    expect((await engine.waitForExecution(taken, { timeoutMs: 5000 })).result).toBe("2");
  } finally {
    await engine.close();
  }
});
