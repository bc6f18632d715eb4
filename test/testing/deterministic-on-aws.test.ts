// deterministic(ctx) on a context from the official SDK, run by the official runner.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deterministic } from "../../runtime/index.js";

describe("deterministic(ctx) on an AWS SDK context", () => {
  beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
  afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

  it("yields the same values when the handler is replayed in a later invocation", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      const { uuid, random } = deterministic(ctx);
      const id = uuid();
      const roll = random();
      // The step records the first invocation's values; the code after the wait runs in a later invocation.
      const recorded = await ctx.step("remember", async () => ({ id, roll }));
      await ctx.wait("later", { seconds: 5 });
      const child = await ctx.runInChildContext("child", async (c) => deterministic(c).uuid());
      return { same: recorded.id === id && recorded.roll === roll, childDiffers: child !== id };
    });
    const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run();
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ same: true, childDiffers: true });
    expect(result.getInvocations().length).toBeGreaterThan(1); // the values really crossed an invocation
  });
});
