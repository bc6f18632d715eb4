import { describe, expect, it } from "vitest";
import { withDurableExecution, type DurableContext, type DurableLogger } from "../../runtime/index.js";
import { LocalDurableTestRunner, WaitingOperationStatus } from "../../testing/index.js";

describe("LocalDurableTestRunner", () => {
  it("completes a 60-second wait in virtual time, quickly", async () => {
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        await ctx.wait("minute", { seconds: 60 });
        return "woke";
      }),
      startTime: 0,
    });
    const started = performance.now();
    const result = await runner.run();
    expect(performance.now() - started).toBeLessThan(200);
    expect(result.getResult()).toBe("woke");
    expect(runner.getOperation("minute").getWaitDetails()).toEqual({ waitSeconds: 60, scheduledEndTimestamp: new Date(60_000) });
  });

  it("fires timers in due order", async () => {
    // Step bodies run once, in the invocation where their wait fired: they see firing order.
    const fired: string[] = [];
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        const after = (name: string, duration: { minutes: number }) =>
          ctx.wait(name, duration).then(() => ctx.step(`after-${name}`, async () => fired.push(name)));
        await Promise.all([after("long", { minutes: 120 }), after("short", { minutes: 1 }), after("mid", { minutes: 30 })]);
        return ctx.step("order", async () => fired);
      }),
    });
    const result = await runner.run();
    expect(result.getResult()).toEqual(["short", "mid", "long"]);
    expect(result.getInvocations()).toHaveLength(4);
  });

  it("waits in real time on request", async () => {
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        await ctx.wait({ seconds: 1 });
        return "done";
      }),
      time: "real",
    });
    const started = Date.now();
    await runner.run();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("lets a test drive callbacks: heartbeat, then success", async () => {
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) =>
        ctx.waitForCallback("review", async () => undefined, { heartbeatTimeout: { minutes: 5 } }),
      ),
    });
    const execution = runner.run();
    const review = await runner.getOperation("review").waitForData(WaitingOperationStatus.SUBMITTED);
    await review.sendCallbackHeartbeat();
    await review.sendCallbackSuccess("approved");
    const result = await execution;
    expect(result.getResult()).toBe("approved");
    expect(review.isWaitForCallback()).toBe(true);
    expect(review.getCallbackDetails()).toMatchObject({ result: "approved" });
    expect(review.getChildOperations()?.map((op) => op.getType())).toEqual(["CALLBACK", "STEP"]);
  });

  it("inspects operations by index, name, status and failure", async () => {
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        await ctx.step("first", async () => 1);
        await ctx.step("second", async () => {
          throw new RangeError("out of range");
        }, { retryStrategy: () => ({ shouldRetry: false }) });
      }),
    });
    const result = await runner.run();
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError()).toMatchObject({ errorType: "StepError", errorMessage: "out of range" });
    expect(runner.getOperationByIndex(0).getName()).toBe("first");
    expect(runner.getOperation("second").getStepDetails()).toMatchObject({ attempt: 1, error: { errorType: "RangeError", errorMessage: "out of range" } });
    expect(result.getOperations({ status: "FAILED" }).map((op) => op.getName())).toEqual(["second"]);
    expect(() => runner.getOperation("first").getWaitDetails()).toThrow(/not a WAIT/);
  });

  it("keeps the logger silent while replaying", async () => {
    const lines: string[] = [];
    const logger: DurableLogger = { info: (m: string) => lines.push(m), warn() {}, error() {}, debug() {} };
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        ctx.configureLogger({ customLogger: logger });
        ctx.logger.info("before wait");
        await ctx.wait("w", { seconds: 5 });
        ctx.logger.info("after wait");
        await ctx.step("s", async ({ logger: stepLogger }) => stepLogger.info("in step"));
      }),
    });
    await runner.run();
    expect(lines).toEqual(["before wait", "after wait", "in step"]);
  });

  it("runs registered durable functions for invoke", async () => {
    const child = withDurableExecution(async (event: { n: number }, ctx: DurableContext) => {
      await ctx.wait({ seconds: 10 });
      return ctx.step("square", async () => event.n * event.n);
    });
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => ctx.invoke("sq", "square-fn", { n: 7 })),
    });
    runner.registerDurableFunction("square-fn", child);
    const result = await runner.run();
    expect(result.getResult()).toBe(49);
    expect(runner.getOperation("sq").getChainedInvokeDetails()).toMatchObject({ result: 49 });
  });

  it("gives each invocation a Lambda context with its own awsRequestId", async () => {
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        const first = await ctx.step("first", async () => ctx.lambdaContext.awsRequestId);
        await ctx.wait("pause", { seconds: 5 });
        const second = await ctx.step("second", async () => ctx.lambdaContext.awsRequestId);
        return { distinct: first !== second, functionName: ctx.lambdaContext.functionName, remaining: ctx.lambdaContext.getRemainingTimeInMillis() };
      }),
      lambdaContext: { functionName: "orders" },
    });
    const result = await runner.run();
    expect(result.getResult()).toEqual({ distinct: true, functionName: "orders", remaining: 15 * 60_000 });
    expect(result.getInvocations().map((i) => i.requestId)).toHaveLength(2);
    expect(new Set(result.getInvocations().map((i) => i.requestId)).size).toBe(2);
  });

  it("lists at-least-once steps in the order they started, like the AWS runner", async () => {
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        await Promise.all([ctx.step("slow", async () => new Promise((resolve) => setTimeout(() => resolve(1), 20))), ctx.step("fast", async () => 2)]);
        return "ok";
      }),
    });
    const result = await runner.run();
    expect(result.getOperations().map((op) => op.getName())).toEqual(["slow", "fast"]);
    expect(runner.getOperationByIndex(0).getName()).toBe("slow");
  });

  it("reports recorded operations the completed execution never reached again", async () => {
    // A deploy between invocations: the code that resumes no longer issues "audit".
    let deployed = false;
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        await ctx.step("charge", async () => 1);
        if (!deployed) await ctx.step("audit", async () => ((deployed = true), "logged"));
        await ctx.wait("settle", { seconds: 10 });
        return "done";
      }),
      replayCheck: false, // the replay check would (rightly) flag the changed code
    });
    const result = await runner.run();
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getUnconsumedOperationIds()).toEqual(["audit#0"]);
  });

  it("reports no unconsumed operations for an execution that replays cleanly", async () => {
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        await ctx.runInChildContext("c", async (child) => child.step("inner", async () => 1));
        ctx.patched("p");
        await ctx.wait("settle", { seconds: 10 });
        return ctx.step("after", async () => 2);
      }),
    });
    const result = await runner.run();
    expect(result.getResult()).toBe(2);
    expect(result.getUnconsumedOperationIds()).toEqual([]);
  });

  it("force-checkpoints durable invokes while a long step runs: the nested executions run outside the handler's context", async () => {
    const waiter = withDurableExecution(async (_e: unknown, ctx: DurableContext) => (await ctx.wait({ seconds: 2 }), "waited"));
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) =>
        ctx.parallel([
          async (b) => b.step("long", async () => (await new Promise((r) => setTimeout(r, 300)), "long")),
          async (b) => (await b.invoke("waiter", {}), await b.invoke("waiter", {}), "invokes"),
        ]),
      ),
    });
    runner.registerDurableFunction("waiter", waiter);
    const result = await runner.run();
    expect(result.getResult()).toMatchObject({ completionReason: "ALL_COMPLETED", all: [{ result: "long" }, { result: "invokes" }] });
    expect(result.getInvocations()).toHaveLength(1);
  });
});
