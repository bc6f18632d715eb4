import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createEngine, MemoryStore, SqliteStore, type Engine, type EngineStore } from "../../engine/index.js";
import { newPgStore } from "./stores/pg-test-store.js";
import { createRetryStrategy, JitterStrategy, retryPresets, withDurableExecution } from "../../runtime/index.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-engine-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const stores: Array<[string, () => EngineStore | Promise<EngineStore>]> = [
  ["MemoryStore", () => new MemoryStore()],
  ["SqliteStore", () => SqliteStore.open(join(dir, `engine-${++files}.sqlite`))],
  ["PostgresStore", newPgStore],
];

async function withEngine(makeStore: () => EngineStore | Promise<EngineStore>, functions: Record<string, unknown>, body: (engine: Engine, store: EngineStore) => Promise<void>, resumption?: "warm" | "replay") {
  const store = await makeStore();
  const engine = createEngine({ store, functions, pollMs: 20, resumption });
  try {
    await body(engine, store);
  } finally {
    await engine.close();
    await store.close();
  }
}

async function callbackIdOf(engine: Engine, executionId: string, name: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const record = (await engine.operations(executionId)).find((r) => r.Type === "CALLBACK" && (r.Name === name || r.ParentId?.startsWith(name)));
    if (record?.CallbackDetails?.CallbackId) return record.CallbackDetails.CallbackId;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`callback ${name} never started`);
}

describe.each(stores)("engine on %s", (_name, makeStore) => {
  it("runs steps, a wait and a result to completion, each step body once", async () => {
    const calls: string[] = [];
    const flow = withDurableExecution(async (event: { n: number }, context) => {
      const a = await context.step("double", async () => (calls.push("double"), event.n * 2));
      await context.wait("pause", { seconds: 1 });
      const b = await context.step("add", async () => (calls.push("add"), a + 1));
      return { a, b };
    });
    await withEngine(makeStore, { flow }, async (engine) => {
      const started = Date.now();
      const execution = await engine.start("flow", { n: 20 });
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 10_000 });
      expect(done.status).toBe("SUCCEEDED");
      expect(JSON.parse(done.result!)).toEqual({ a: 40, b: 41 });
      expect(calls).toEqual(["double", "add"]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      const operations = await engine.operations(execution.executionId);
      expect(operations.map((r) => [r.Id, r.Type, r.Status])).toEqual([
        ["execution", "EXECUTION", "SUCCEEDED"],
        ["double#0", "STEP", "SUCCEEDED"],
        ["pause#0", "WAIT", "SUCCEEDED"],
        ["add#0", "STEP", "SUCCEEDED"],
      ]);
      const history = await engine.history(execution.executionId);
      expect(history.map((u) => `${u.record.Id}:${u.record.Status}`)).toEqual([
        "execution:STARTED",
        "double#0:STARTED",
        "double#0:SUCCEEDED",
        "pause#0:STARTED",
        "pause#0:SUCCEEDED",
        "add#0:STARTED",
        "add#0:SUCCEEDED",
        "execution:SUCCEEDED",
      ]);
      expect(history.map((u) => u.sequence)).toEqual(history.map((_, i) => i + 1));
      // The wait's firing opens invocation 2; everything before it belongs to invocation 1.
      expect(history.map((u) => u.invocation)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
      const invocations = await engine.invocations(execution.executionId);
      expect(invocations.map((i) => [i.invocation, i.outcome, i.warm])).toEqual([
        [1, "PENDING", false],
        [2, "SUCCEEDED", true],
      ]);
      expect(invocations[1]!.startedAt - invocations[0]!.endedAt!).toBeGreaterThanOrEqual(900);
      expect(new Set(invocations.map((i) => i.requestId)).size).toBe(2);
    });
  });

  it("is idempotent on executionId and rejects bad ids and unknown functions", async () => {
    const flow = withDurableExecution(async (event: { v: number }) => event.v);
    await withEngine(makeStore, { flow }, async (engine) => {
      const first = await engine.start("flow", { v: 1 }, { executionId: "order-1" });
      const second = await engine.start("flow", { v: 2 }, { executionId: "order-1" });
      expect(second.executionId).toBe(first.executionId);
      expect(second.input).toBe(JSON.stringify({ v: 1 }));
      expect((await engine.waitForExecution("order-1", { timeoutMs: 5000 })).result).toBe("1");
      await expect(engine.start("flow", {}, { executionId: "../../etc/passwd" })).rejects.toThrow(/Invalid execution id/);
      await expect(engine.start("flow", {}, { executionId: "a\u0000b" })).rejects.toThrow(/Invalid execution id/);
      await expect(engine.start("flow", {}, { executionId: "x".repeat(10_000) })).rejects.toThrow(/10000 characters/);
      await expect(engine.start("nope", {})).rejects.toThrow(/No durable function registered as "nope"; registered: flow/);
      expect((await engine.listExecutions()).map((e) => e.executionId)).toEqual(["order-1"]);
    });
  });

  it("completes callbacks sent from outside, with success, failure and timeout", async () => {
    const approval = withDurableExecution(async (_event, context) => {
      const [promise, id] = await context.createCallback("approve", { timeout: { seconds: 30 } });
      await context.step("notify", async () => id.length);
      try {
        return { approved: await promise };
      } catch (error) {
        return { rejected: (error as Error).message };
      }
    });
    const quick = withDurableExecution(async (_event, context) => {
      const [promise] = await context.createCallback("approve", { timeout: { seconds: 1 } });
      try {
        return await promise;
      } catch (error) {
        return { error: (error as Error).name };
      }
    });
    await withEngine(makeStore, { approval, quick }, async (engine) => {
      const yes = await engine.start("approval", {});
      const no = await engine.start("approval", {});
      const late = await engine.start("quick", {});
      await engine.sendCallbackSuccess(await callbackIdOf(engine, yes.executionId, "approve"), JSON.stringify({ by: "ana" }));
      const noId = await callbackIdOf(engine, no.executionId, "approve");
      await engine.sendCallbackFailure(noId, "over budget");
      await expect(engine.sendCallbackSuccess(noId, "{}")).rejects.toThrow(/already been completed|no longer waiting/);
      await expect(engine.sendCallbackSuccess("bm9wZQ", "{}")).rejects.toThrow(/No callback with id/);
      await expect(engine.sendCallbackSuccess("../x", "{}")).rejects.toThrow(/Invalid callback id/);
      expect(JSON.parse((await engine.waitForExecution(yes.executionId, { timeoutMs: 5000 })).result!)).toEqual({ approved: JSON.stringify({ by: "ana" }) });
      expect(JSON.parse((await engine.waitForExecution(no.executionId, { timeoutMs: 5000 })).result!)).toEqual({ rejected: "over budget" });
      expect(JSON.parse((await engine.waitForExecution(late.executionId, { timeoutMs: 5000 })).result!)).toEqual({ error: "CallbackTimeoutError" });
      const timedOut = (await engine.operations(late.executionId)).find((r) => r.Type === "CALLBACK");
      expect(timedOut).toMatchObject({ Status: "TIMED_OUT", CallbackDetails: { Error: { ErrorType: "Callback.Timeout" } } });
      await expect(engine.sendCallbackSuccess(await callbackIdOf(engine, yes.executionId, "approve"), "{}")).rejects.toThrow(/no longer waiting/);
    });
  });

  it("keeps a callback alive while heartbeats arrive and times it out when they stop", async () => {
    const watched = withDurableExecution(async (_event, context) => {
      const [promise] = await context.createCallback("job", { heartbeatTimeout: { seconds: 1 }, timeout: { seconds: 30 } });
      try {
        return await promise;
      } catch (error) {
        return `timed out: ${(error as Error).message}`;
      }
    });
    await withEngine(makeStore, { watched }, async (engine) => {
      const execution = await engine.start("watched", {});
      const id = await callbackIdOf(engine, execution.executionId, "job");
      const started = Date.now();
      while (Date.now() - started < 2200) {
        await engine.sendCallbackHeartbeat(id);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect((await engine.getExecution(execution.executionId))?.status).toBe("RUNNING"); // 2.2 s > 1 s: the heartbeats kept it
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 5000 });
      expect(JSON.parse(done.result!)).toMatch(/^timed out/);
      const record = (await engine.operations(execution.executionId)).find((r) => r.Type === "CALLBACK");
      expect(record?.CallbackDetails?.Error?.ErrorType).toBe("Callback.Heartbeat");
    });
  });

  it("closes gracefully: a step running at close() finishes and its checkpoint is committed", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    const slow = withDurableExecution(async (_event, context) => {
      await context.step("slow", async () => {
        entered = true;
        await gate;
        return "done";
      });
      await context.wait({ seconds: 60 });
      return "never here";
    });
    const store = await makeStore();
    const engine = createEngine({ store, functions: { slow }, pollMs: 20 });
    const execution = await engine.start("slow", {});
    while (!entered) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = engine.close();
    setTimeout(release, 100);
    await closing;
    const records = await store.loadOperations(execution.executionId);
    expect(records.find((r) => r.Id === "slow#0")).toMatchObject({ Status: "SUCCEEDED", StepDetails: { Result: '"done"' } });
    await store.close();
  });

  it("retries a failing step after its delay and records the failure when attempts run out", async () => {
    let attempts = 0;
    const flaky = withDurableExecution(async (_event, context) =>
      context.step(
        "flaky",
        async () => {
          attempts++;
          if (attempts < 3) throw new Error(`attempt ${attempts} failed`);
          return attempts;
        },
        { retryStrategy: createRetryStrategy({ maxAttempts: 5, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: JitterStrategy.NONE }) },
      ),
    );
    const broken = withDurableExecution(async (_event, context) =>
      context.step("broken", async () => {
        throw new TypeError("no such customer");
      }, { retryStrategy: retryPresets.noRetry }),
    );
    await withEngine(makeStore, { flaky, broken }, async (engine) => {
      const ok = await engine.start("flaky", {});
      const bad = await engine.start("broken", {});
      const done = await engine.waitForExecution(ok.executionId, { timeoutMs: 10_000 });
      expect(done.status).toBe("SUCCEEDED");
      expect(done.result).toBe("3");
      const failed = await engine.waitForExecution(bad.executionId, { timeoutMs: 5000 });
      expect(failed.status).toBe("FAILED");
      expect(failed.error?.ErrorMessage).toBe("no such customer");
    });
  });

  it("runs chained invokes of durable and plain functions, and fails an invoke of an unknown function", async () => {
    const child = withDurableExecution(async (event: { x: number }, context) => {
      await context.wait({ seconds: 1 });
      return context.step("square", async () => event.x * event.x);
    });
    const plain = async (event: { x: number }) => ({ plus: event.x + 1 });
    const parent = withDurableExecution(async (_event, context) => {
      const squared = await context.invoke("child", "child", { x: 7 });
      const plus = await context.invoke("plain", "plain", { x: 7 });
      let missing = "";
      try {
        await context.invoke("missing", "nowhere", {});
      } catch (error) {
        missing = (error as Error).message;
      }
      return { squared, plus, missing };
    });
    await withEngine(makeStore, { parent, child, plain }, async (engine) => {
      const execution = await engine.start("parent", {});
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 10_000 });
      expect(done.status).toBe("SUCCEEDED");
      const result = JSON.parse(done.result!);
      expect(result.squared).toBe(49);
      expect(result.plus).toEqual({ plus: 8 });
      expect(result.missing).toMatch(/No function registered as "nowhere"/);
      const children = (await engine.listExecutions({ functionName: "child" }));
      expect(children).toHaveLength(1);
      expect(children[0]!.parent).toEqual({ executionId: execution.executionId, operationId: "child#0" });
    });
  });

  it("claims only what it can run, unless it can resolve unknown functions", async () => {
    const pay = withDurableExecution(async () => "paid");
    const ship = withDurableExecution(async () => "shipped");
    const store = await makeStore();
    const starter = createEngine({ store, functions: { ship }, worker: false });
    const shipping = await starter.start("ship", {});
    const payer = createEngine({ store, functions: { pay }, pollMs: 20 });
    const claimedByPayer: string[] = [];
    payer.subscribe((e) => e.type === "invocation-started" && claimedByPayer.push(e.executionId));
    try {
      const paying = await payer.start("pay", {});
      expect((await payer.waitForExecution(paying.executionId, { timeoutMs: 5000 })).result).toBe('"paid"');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(claimedByPayer).toEqual([paying.executionId]);
      expect((await store.getExecution(shipping.executionId))?.status).toBe("RUNNING");
      // The execution of "ship" is left for a worker that can resolve it.
      const resolved: string[] = [];
      const resolver = createEngine({ store, pollMs: 20, resolveFunction: (name) => (resolved.push(name), name === "ship" ? ship : undefined) });
      expect((await resolver.waitForExecution(shipping.executionId, { timeoutMs: 5000 })).result).toBe('"shipped"');
      expect(resolved).toEqual(["ship"]);
      await resolver.close();
    } finally {
      await payer.close();
      await starter.close();
      await store.close();
    }
  });

  it("fails the execution with the handler's error", async () => {
    const failing = withDurableExecution(async (_event, context) => {
      await context.step("ok", async () => 1);
      throw new RangeError("amount must be positive");
    });
    await withEngine(makeStore, { failing }, async (engine) => {
      const execution = await engine.start("failing", {});
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 5000 });
      expect(done.status).toBe("FAILED");
      expect(done.error).toMatchObject({ ErrorType: "RangeError", ErrorMessage: "amount must be positive" });
      expect(done.endedAt).toBeGreaterThanOrEqual(done.createdAt);
    });
  });

  it("runs many executions at once", async () => {
    const flow = withDurableExecution(async (event: { i: number }, context) => {
      const a = await context.step("a", async () => event.i);
      await context.wait({ seconds: 1 });
      return context.step("b", async () => a + 1);
    });
    await withEngine(makeStore, { flow }, async (engine) => {
      const executions = await Promise.all(Array.from({ length: 40 }, (_, i) => engine.start("flow", { i })));
      const results = await Promise.all(executions.map((e) => engine.waitForExecution(e.executionId, { timeoutMs: 15_000 })));
      expect(results.map((r) => Number(r.result))).toEqual(executions.map((_, i) => i + 1));
    });
  });
});

describe.each(stores)("warm resumption on %s", (_name, makeStore) => {
  function countingFlow(counter: { runs: number }) {
    return withDurableExecution(async (_event, context) => {
      counter.runs++; // orchestration code: runs again only when the handler replays
      const a = await context.step("a", async () => 1);
      await context.wait("w1", { seconds: 1 });
      const b = await context.step("b", async () => a + 1);
      await context.wait("w2", { seconds: 0 });
      return context.step("c", async () => b + 1);
    });
  }

  it("resumes a woken handler in memory; replay mode runs it from the first line at every wake-up", async () => {
    for (const [resumption, expectedRuns, expectedWarm] of [["warm", 1, [false, true, true]], ["replay", 3, [false, false, false]]] as const) {
      const counter = { runs: 0 };
      const warmFlags: boolean[] = [];
      await withEngine(makeStore, { flow: countingFlow(counter) }, async (engine) => {
        engine.subscribe((e) => e.type === "invocation-started" && warmFlags.push(e.warm));
        const execution = await engine.start("flow", {});
        const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 10_000 });
        expect(done.result).toBe("3");
        expect(done.invocations).toBe(3);
      }, resumption);
      expect(counter.runs).toBe(expectedRuns);
      expect(warmFlags).toEqual(expectedWarm);
    }
  });

  it("replays a handler another worker ran in between, instead of resuming a stale one", async () => {
    const counter = { runs: 0 };
    const store = await makeStore();
    const flow = countingFlow(counter);
    const engine = createEngine({ store, functions: { flow }, worker: false });
    const other = createEngine({ store, functions: { flow }, worker: false });
    try {
      const execution = await engine.start("flow", {});
      await engine.runDue(); // runs step a, suspends in w1 (warm in `engine`)
      await new Promise((resolve) => setTimeout(resolve, 1050));
      await other.runDue(); // another worker takes the wake-up: replays (run 2), suspends in w2
      expect(counter.runs).toBe(2);
      await engine.runDue(); // back to the first: its handler in memory is stale, so it replays (run 3)
      expect(counter.runs).toBe(3);
      const done = await engine.getExecution(execution.executionId);
      expect(done?.status).toBe("SUCCEEDED");
      expect(done?.result).toBe("3");
      const succeeded = (await engine.history(execution.executionId)).filter((u) => u.record.Status === "SUCCEEDED" && u.record.Type === "STEP");
      expect(succeeded.map((u) => u.record.Id)).toEqual(["a#0", "b#0", "c#0"]);
    } finally {
      await engine.close();
      await other.close();
      await store.close();
    }
  });
});
