// Handlers written with the official SDK (@aws/durable-execution-sdk-js), unchanged, on
// replayable's engine through fromAwsSdk: the engine plays the durable execution service.
import {
  CallbackError,
  createRetryStrategy,
  InvokeError,
  JitterStrategy,
  retryPresets,
  StepError,
  withDurableExecution,
  type DurableContext,
} from "@aws/durable-execution-sdk-js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { fromAwsSdk, ExecutionService } from "../../engine/aws/index.js";
import { ENGINE_RUNNER } from "../../engine/function-runner.js";
import { createEngine, LeaseLostError, MemoryStore, SqliteStore, type Engine, type EngineStore } from "../../engine/index.js";
import { localLambdaContext } from "../../runtime/lambda-context.js";
import type { OperationRecord } from "../../runtime/operation-model.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-aws-sdk-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
let files = 0;

const stores: Array<[string, () => EngineStore]> = [
  ["MemoryStore", () => new MemoryStore()],
  ["SqliteStore", () => SqliteStore.open(join(dir, `aws-${++files}.sqlite`))],
];

const noJitter = (maxAttempts: number) => createRetryStrategy({ maxAttempts, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE });

async function withEngine(makeStore: () => EngineStore, functions: Record<string, unknown>, body: (engine: Engine) => Promise<void>): Promise<void> {
  const store = makeStore();
  const engine = createEngine({ store, functions, pollMs: 20 });
  const workerErrors: unknown[] = [];
  engine.subscribe((event) => event.type === "worker-error" && workerErrors.push(event.error));
  try {
    await body(engine);
    expect(workerErrors).toEqual([]);
  } finally {
    await engine.close();
    await store.close();
  }
}

async function operationNamed(engine: Engine, executionId: string, name: string, ready: (r: OperationRecord) => boolean = () => true): Promise<OperationRecord> {
  for (let i = 0; i < 1000; i++) {
    const record = (await engine.operations(executionId)).find((r) => r.Name === name && ready(r));
    if (record) return record;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`operation ${name} never appeared`);
}

const summary = (records: OperationRecord[]) => records.map((r) => [r.Name ?? r.Id, r.Type, r.SubType, r.Status]);

describe.each(stores)("official SDK handlers on the engine (%s)", (_name, makeStore) => {
  it("runs steps and a 1 s wait, each step body once, replaying in a second invocation", async () => {
    const calls: string[] = [];
    const handler = withDurableExecution(async (event: { n: number }, ctx: DurableContext) => {
      const a = await ctx.step("double", async () => (calls.push("double"), event.n * 2));
      await ctx.wait("pause", { seconds: 1 });
      const b = await ctx.step("add", async () => (calls.push("add"), a + 1));
      return { a, b };
    });
    await withEngine(makeStore, { flow: fromAwsSdk(handler) }, async (engine) => {
      const started = Date.now();
      const execution = await engine.start("flow", { n: 20 });
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 15_000 });
      expect(done.status).toBe("SUCCEEDED");
      expect(JSON.parse(done.result!)).toEqual({ a: 40, b: 41 });
      expect(calls).toEqual(["double", "add"]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(done.invocations).toBe(2);
      const operations = await engine.operations(execution.executionId);
      expect(summary(operations)).toEqual([
        ["execution", "EXECUTION", undefined, "SUCCEEDED"],
        ["double", "STEP", "Step", "SUCCEEDED"],
        ["pause", "WAIT", "Wait", "SUCCEEDED"],
        ["add", "STEP", "Step", "SUCCEEDED"],
      ]);
      // The SDK's own ids (hashes of its position counter), and the service's details.
      expect(operations[1]!.Id).toMatch(/^[0-9a-f]{16}$/);
      expect(operations[1]!.StepDetails).toEqual({ Attempt: 1, Result: "40" });
      const wait = operations[2]!;
      expect(wait.WaitOptions).toEqual({ WaitSeconds: 1 });
      expect(wait.WaitDetails!.ScheduledEndTimestamp!.getTime() - wait.StartTimestamp.getTime()).toBe(1000);
      const history = await engine.history(execution.executionId);
      expect(history.map((u) => `${u.record.Name ?? u.record.Id}:${u.record.Status}`)).toEqual([
        "execution:STARTED",
        "double:STARTED",
        "double:SUCCEEDED",
        "pause:STARTED",
        "pause:SUCCEEDED",
        "add:STARTED",
        "add:SUCCEEDED",
        "execution:SUCCEEDED",
      ]);
    });
  });

  it("completes callbacks sent through the engine, with success and failure", async () => {
    const handler = withDurableExecution(async (event: { who: string }, ctx: DurableContext) => {
      const [promise, callbackId] = await ctx.createCallback("approve", { timeout: { minutes: 5 } });
      await ctx.step("notify", async () => `asked ${event.who} with ${callbackId.length} characters`);
      try {
        return { approved: JSON.parse(await promise) as unknown };
      } catch (error) {
        return { rejected: (error as Error).message, isCallbackError: error instanceof CallbackError };
      }
    });
    await withEngine(makeStore, { approval: fromAwsSdk(handler) }, async (engine) => {
      const yes = await engine.start("approval", { who: "ana" });
      const no = await engine.start("approval", { who: "bo" });
      const yesRecord = await operationNamed(engine, yes.executionId, "approve");
      const noRecord = await operationNamed(engine, no.executionId, "approve");
      const yesId = yesRecord.CallbackDetails!.CallbackId!;
      const noId = noRecord.CallbackDetails!.CallbackId!;
      // Generated by the service: 192 random bits in the characters a callback id may use.
      expect(yesId).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(yesId).not.toBe(noId);
      expect(yesRecord.CallbackOptions).toEqual({ TimeoutSeconds: 300 });

      await engine.sendCallbackSuccess(yesId, JSON.stringify({ by: "ana" }));
      await engine.sendCallbackFailure(noId, { ErrorType: "Rejected", ErrorMessage: "over budget" });
      const yesDone = await engine.waitForExecution(yes.executionId, { timeoutMs: 10_000 });
      const noDone = await engine.waitForExecution(no.executionId, { timeoutMs: 10_000 });
      expect(JSON.parse(yesDone.result!)).toEqual({ approved: { by: "ana" } });
      expect(JSON.parse(noDone.result!)).toEqual({ rejected: "over budget", isCallbackError: true });
      expect((await operationNamed(engine, yes.executionId, "approve")).Status).toBe("SUCCEEDED");
      expect((await operationNamed(engine, no.executionId, "approve")).Status).toBe("FAILED");
      await expect(engine.sendCallbackSuccess(yesId, "{}")).rejects.toThrow(/no longer waiting/);
    });
  });

  it("waitForCallback hands the submitter the id, and a callback times out", async () => {
    const submitted: string[] = [];
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      const answer = await ctx.waitForCallback("ask", async (callbackId) => void submitted.push(callbackId), { timeout: { minutes: 5 } });
      const [late] = await ctx.createCallback("late", { timeout: { seconds: 1 } });
      const timedOut = await late.then(
        () => false,
        (error: unknown) => error instanceof CallbackError,
      );
      return { answer, timedOut };
    });
    await withEngine(makeStore, { ask: fromAwsSdk(handler) }, async (engine) => {
      const execution = await engine.start("ask", {});
      const context = await operationNamed(engine, execution.executionId, "ask");
      const callback = await operationNamed(engine, execution.executionId, "ask", () => submitted.length === 1).then(async () =>
        (await engine.operations(execution.executionId)).find((r) => r.Type === "CALLBACK" && r.ParentId === context.Id)!,
      );
      expect(submitted).toEqual([callback.CallbackDetails!.CallbackId]);
      await engine.sendCallbackSuccess(callback.CallbackDetails!.CallbackId!, "yes");
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 10_000 });
      expect(JSON.parse(done.result!)).toEqual({ answer: "yes", timedOut: true });
      expect((await operationNamed(engine, execution.executionId, "late")).Status).toBe("TIMED_OUT");
      expect(submitted).toHaveLength(1);
    });
  });

  it("retries a failing step after its delay (PENDING, then READY) and fails it when attempts run out", async () => {
    let flakyCalls = 0;
    const attemptsSeen: number[] = [];
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      const flaky = await ctx.step(
        "flaky",
        async (step) => {
          attemptsSeen.push(step.attempt);
          if (++flakyCalls < 3) throw new Error(`glitch ${flakyCalls}`);
          return flakyCalls;
        },
        { retryStrategy: noJitter(5) },
      );
      try {
        await ctx.step("doomed", async () => {
          throw new TypeError("bad input");
        }, { retryStrategy: noJitter(2) });
      } catch (error) {
        return { flaky, doomed: (error as Error).message, isStepError: error instanceof StepError };
      }
      return { flaky };
    });
    await withEngine(makeStore, { retry: fromAwsSdk(handler) }, async (engine) => {
      const execution = await engine.start("retry", {});
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 20_000 });
      expect(JSON.parse(done.result!)).toEqual({ flaky: 3, doomed: "bad input", isStepError: true });
      expect(attemptsSeen).toEqual([1, 2, 3]);
      const flaky = await operationNamed(engine, execution.executionId, "flaky");
      expect(flaky.StepDetails).toEqual({ Attempt: 3, Result: "3" });
      const doomed = await operationNamed(engine, execution.executionId, "doomed");
      expect(doomed.Status).toBe("FAILED");
      expect(doomed.StepDetails?.Attempt).toBe(2);
      expect(doomed.StepDetails?.Error).toMatchObject({ ErrorType: "TypeError", ErrorMessage: "bad input" });
      const history = (await engine.history(execution.executionId)).filter((u) => u.record.Name === "flaky");
      expect(history.map((u) => u.record.Status)).toEqual(["STARTED", "PENDING", "READY", "STARTED", "PENDING", "READY", "STARTED", "SUCCEEDED"]);
      const pending = history[1]!.record;
      expect(pending.StepDetails).toMatchObject({ Attempt: 1, Error: { ErrorMessage: "glitch 1" } });
      // One second after the retry was checkpointed (the history's time is the commit's, a moment later).
      const delay = pending.StepDetails!.NextAttemptTimestamp!.getTime() - history[1]!.at;
      expect(delay).toBeGreaterThan(900);
      expect(delay).toBeLessThanOrEqual(1000);
    });
  });

  it("runs child contexts, map and parallel, and does not hand a completed context's children back", async () => {
    const calls: string[] = [];
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      const grouped = await ctx.runInChildContext("group", async (group) => {
        const base = await group.step("inner", async () => (calls.push("inner"), 5));
        await group.wait("inner-wait", { seconds: 1 });
        return base * 2;
      });
      const mapped = await ctx.map("items", [1, 2, 3], async (item, value) => item.step(`item-${value}`, async () => (calls.push(`item-${value}`), value * 10)));
      const branches = await ctx.parallel("branches", [
        async (branch) => branch.step("left", async () => (calls.push("left"), "L")),
        async (branch) => {
          await branch.wait({ seconds: 1 });
          return branch.step("right", async () => (calls.push("right"), "R"));
        },
      ]);
      return { grouped, mapped: mapped.getResults(), branches: branches.getResults() };
    });
    const getState = vi.spyOn(ExecutionService.prototype, "getExecutionState");
    const inputs: Array<Array<{ Name?: string }>> = [];
    const original = handler;
    const spying = async (event: { InitialExecutionState: { Operations: Array<{ Name?: string }> } }, context: unknown) => {
      inputs.push(event.InitialExecutionState.Operations);
      return original(event as never, context as never);
    };
    await withEngine(makeStore, { fan: fromAwsSdk(spying) }, async (engine) => {
      const execution = await engine.start("fan", {});
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 20_000 });
      expect(done.status).toBe("SUCCEEDED");
      expect(JSON.parse(done.result!)).toEqual({ grouped: 10, mapped: [10, 20, 30], branches: ["L", "R"] });
      expect(calls.sort()).toEqual(["inner", "item-1", "item-2", "item-3", "left", "right"]);
      const operations = await engine.operations(execution.executionId);
      const byName = (name: string) => operations.find((r) => r.Name === name)!;
      expect([byName("group").SubType, byName("items").SubType, byName("branches").SubType]).toEqual(["RunInChildContext", "Map", "Parallel"]);
      expect(byName("inner").ParentId).toBe(byName("group").Id);
      expect(operations.filter((r) => r.SubType === "MapIteration")).toHaveLength(3);
      expect(operations.filter((r) => r.SubType === "ParallelBranch")).toHaveLength(2);
      expect(operations.every((r) => r.Type === "EXECUTION" || r.Status === "SUCCEEDED")).toBe(true);
      // The last invocation's event: the completed group without its children.
      const last = inputs.at(-1)!.map((o) => o.Name);
      expect(last).toContain("group");
      expect(last).not.toContain("inner");
      expect(getState).not.toHaveBeenCalled();
    });
  });

  it("invokes other registered functions: one written with the SDK, a plain one, a failing one", async () => {
    const child = withDurableExecution(async (event: { x: number }, ctx: DurableContext) => {
      await ctx.wait({ seconds: 1 });
      return ctx.step("square", async () => event.x * event.x);
    });
    const parent = withDurableExecution(async (event: { x: number }, ctx: DurableContext) => {
      const squared = await ctx.invoke<{ x: number }, number>("square-it", "child", { x: event.x });
      const plus = await ctx.invoke<{ x: number }, { plus: number }>("add-one", "plain", { x: event.x });
      let failure: unknown;
      try {
        await ctx.invoke("explode", "broken", {});
      } catch (error) {
        failure = { message: (error as Error).message, isInvokeError: error instanceof InvokeError };
      }
      return { squared, plus, failure };
    });
    const functions = {
      parent: fromAwsSdk(parent),
      child: fromAwsSdk(child),
      plain: async (event: { x: number }) => ({ plus: event.x + 1 }),
      broken: async () => {
        throw new Error("downstream exploded");
      },
    };
    await withEngine(makeStore, functions, async (engine) => {
      const execution = await engine.start("parent", { x: 7 });
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 20_000 });
      expect(JSON.parse(done.result!)).toEqual({ squared: 49, plus: { plus: 8 }, failure: { message: "downstream exploded", isInvokeError: true } });
      const invoke = await operationNamed(engine, execution.executionId, "square-it");
      expect(invoke.Type).toBe("CHAINED_INVOKE");
      expect(invoke.ChainedInvokeOptions).toEqual({ FunctionName: "child", InputPayload: '{"x":7}' });
      expect(invoke.ChainedInvokeDetails).toEqual({ Result: "49" });
      expect((await operationNamed(engine, execution.executionId, "explode")).Status).toBe("FAILED");
      const children = await engine.listExecutions({ functionName: "child" });
      expect(children.map((c) => [c.status, c.parent?.executionId])).toEqual([["SUCCEEDED", execution.executionId]]);
    });
  });

  it("fails the execution with the handler's error, and with an uncaught step failure", async () => {
    const throws = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      await ctx.step("ok", async () => 1);
      throw new RangeError("validation failed");
    });
    const stepFails = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      await ctx.step("charge", async () => {
        throw new Error("card declined");
      }, { retryStrategy: retryPresets.noRetry });
      return "unreachable";
    });
    await withEngine(makeStore, { throws: fromAwsSdk(throws), stepFails: fromAwsSdk(stepFails) }, async (engine) => {
      const a = await engine.start("throws", {});
      const b = await engine.start("stepFails", {});
      const aDone = await engine.waitForExecution(a.executionId, { timeoutMs: 10_000 });
      const bDone = await engine.waitForExecution(b.executionId, { timeoutMs: 10_000 });
      expect(aDone.status).toBe("FAILED");
      expect(aDone.error).toMatchObject({ ErrorType: "RangeError", ErrorMessage: "validation failed" });
      expect((await operationNamed(engine, a.executionId, "ok")).Status).toBe("SUCCEEDED");
      expect(bDone.status).toBe("FAILED");
      expect(bDone.error?.ErrorMessage).toBe("card declined");
      expect((await operationNamed(engine, b.executionId, "charge")).Status).toBe("FAILED");
      expect((await engine.operations(a.executionId))[0]!.Status).toBe("FAILED");
    });
  });

  it("pages the execution state: the event holds the first page, the SDK fetches the rest", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      let total = 0;
      for (let i = 0; i < 7; i++) total += await ctx.step(`s${i}`, async () => i);
      await ctx.wait({ seconds: 1 });
      return total + (await ctx.step("last", async () => 100));
    });
    const getState = vi.spyOn(ExecutionService.prototype, "getExecutionState");
    await withEngine(makeStore, { paged: fromAwsSdk(handler, { pageSize: 3 }) }, async (engine) => {
      const execution = await engine.start("paged", {});
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 10_000 });
      expect(JSON.parse(done.result!)).toBe(121);
      // Second invocation: 1 + 7 + 1 operations; the event carries 3, the SDK asks for 3 more twice.
      expect(getState).toHaveBeenCalledTimes(2);
      const answers = await Promise.all(getState.mock.results.map((r) => r.value as Promise<{ Operations: unknown[]; NextMarker?: string }>));
      expect(answers.map((a) => [a.Operations.length, a.NextMarker === undefined])).toEqual([
        [3, false],
        [3, true],
      ]);
    });
  });
});

describe("fromAwsSdk", () => {
  it("is still the Lambda handler when called directly", async () => {
    const handler = withDurableExecution(async () => "hi");
    const wrapped = fromAwsSdk(handler);
    await expect(wrapped({ not: "durable" } as never, {} as never)).rejects.toThrow(/Unexpected payload provided to start the durable execution/);
    expect(() => fromAwsSdk(42 as never)).toThrow(/takes the handler withDurableExecution\(\) returned/);
  });

  it("fails an execution whose handler does not return a durable output", async () => {
    await withEngine(() => new MemoryStore(), { odd: fromAwsSdk(async () => ({ hello: 1 })) }, async (engine) => {
      const execution = await engine.start("odd", {});
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 5_000 });
      expect(done.status).toBe("FAILED");
      expect(done.error?.ErrorMessage).toMatch(/not a durable execution output .* pass fromAwsSdk\(\) the handler withDurableExecution\(\) returned/);
    });
  });

  it("takes a result over Lambda's response limit from the EXECUTION checkpoint", async () => {
    const big = "x".repeat(6 * 1024 * 1024);
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      await ctx.step("small", async () => 1);
      return big;
    });
    await withEngine(() => new MemoryStore(), { big: fromAwsSdk(handler) }, async (engine) => {
      const execution = await engine.start("big", {});
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 10_000 });
      expect(done.status).toBe("SUCCEEDED");
      expect(JSON.parse(done.result!)).toHaveLength(big.length);
      // The EXECUTION update does not become a second EXECUTION operation.
      expect((await engine.operations(execution.executionId)).filter((r) => r.Type === "EXECUTION")).toHaveLength(1);
    });
  });

  it("ends the invocation, not the execution, when the store refuses a checkpoint (the claim was lost)", async () => {
    let bodies = 0;
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => ctx.step("charge", async () => ++bodies));
    const runner = fromAwsSdk(handler)[ENGINE_RUNNER];
    expect(runner.canResumeWarm).toBe(false);
    const lost = new LeaseLostError("e-1", 3);
    const invocation = runner.start({
      executionArn: "arn:replayable:local:function:f:execution/e-1",
      journal: {
        load: () => [{ Id: "execution", Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date(), ExecutionDetails: { InputPayload: "{}" } }],
        save: async () => Promise.reject(lost),
        saveBatch: async () => Promise.reject(lost),
      },
      clock: Date.now,
      lambdaContext: localLambdaContext({ awsRequestId: "r-1" }),
    });
    // The engine treats a rejected round as a failed invocation: LeaseLostError is dropped silently.
    await expect(invocation.next()).rejects.toBe(lost);
    invocation.close();
  });
});
