import { describe, expect, it } from "vitest";
import { deterministic, withDurableExecution, type DurableContext } from "../../runtime/index.js";
import { LocalDurableTestRunner } from "../../testing/index.js";
import { invokeOnce, newExecution } from "./harness.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("deterministic helpers", () => {
  it("random() and uuid() repeat on replay and add no operation", async () => {
    const values: unknown[][] = [];
    const handler = async (_e: unknown, ctx: DurableContext) => {
      const seen = [ctx.random(), ctx.uuid(), await ctx.runInChildContext("child", async (c) => c.uuid())];
      values.push(seen);
      await ctx.wait("w", { seconds: 1 });
      return seen;
    };
    const store = newExecution();
    await invokeOnce(handler, store, 0);
    await invokeOnce(handler, store, 1_000);
    expect(values[0]).toEqual(values[1]);
    expect(values[0]![1]).toMatch(UUID_V4);
    expect(values[0]![1]).not.toBe(values[0]![2]); // child contexts have their own sequence
    expect(store.load().filter((r) => r.Type === "STEP")).toHaveLength(0);
  });

  it("differ between executions", async () => {
    const handler = withDurableExecution(async (_e: unknown, ctx: DurableContext) => ctx.uuid());
    const a = await new LocalDurableTestRunner({ handlerFunction: handler }).run();
    const b = await new LocalDurableTestRunner({ handlerFunction: handler }).run();
    expect(a.getResult()).not.toBe(b.getResult());
  });

  it("now() records the first value and replays it", async () => {
    const store = newExecution();
    const handler = async (_e: unknown, ctx: DurableContext) => {
      const t = ctx.now();
      await ctx.wait("w", { seconds: 1 });
      return t;
    };
    await invokeOnce(handler, store, 5_000);
    const replay = await invokeOnce(handler, store, 9_000);
    expect(replay).toMatchObject({ status: "SUCCEEDED", result: "5000" });
    expect(store.get("Now#0")).toMatchObject({ Type: "STEP", SubType: "Now", Status: "SUCCEEDED", StepDetails: { Result: "5000" } });
  });

  it("deterministic(ctx) works on a context that only has executionContext (an AWS context)", () => {
    const awsLike = () => ({ executionContext: { durableExecutionArn: "arn:aws:lambda:eu-west-1:1:function:f/durable-execution/x" } });
    const first = deterministic(awsLike());
    const again = deterministic(awsLike());
    const sequence = [first.random(), first.uuid()];
    expect([again.random(), again.uuid()]).toEqual(sequence);
    expect(sequence[1]).toMatch(UUID_V4);
    const other = deterministic({ executionContext: { durableExecutionArn: "arn:other" } });
    expect(other.random()).not.toBe(sequence[0]);
  });
});

describe("context.now() durability order", () => {
  it("is saved before the checkpoint of any later operation", async () => {
    const store = newExecution();
    const saved: string[] = [];
    store.onSave((r) => saved.push(r.Id));
    await invokeOnce(async (_e: unknown, ctx: DurableContext) => {
      const t = ctx.now();
      return ctx.step("use-time", async () => t + 1);
    }, store, 42);
    expect(saved).toEqual(["Now#0", "use-time#0", "use-time#0"]); // the step's START, then its result
  });
});
