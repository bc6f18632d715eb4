import { describe, expect, it } from "vitest";
import { withDurableExecution } from "../../runtime/index.js";
import { LocalDurableTestRunner, WaitingOperationStatus } from "../../testing/index.js";

describe("smoke", () => {
  it("runs steps, waits and callbacks", async () => {
    const handler = withDurableExecution(async (event: { x: number }, ctx) => {
      const a = await ctx.step("a", async () => event.x + 1);
      await ctx.wait("w", { seconds: 60 });
      const [p, id] = await ctx.createCallback("cb", { timeout: { seconds: 30 } });
      await ctx.step("send", async () => id.length);
      const r = await p;
      const c = await ctx.runInChildContext("child", async (c) => c.step("inner", async () => 5));
      return { a, r, c };
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler });
    const t = Date.now();
    const pr = runner.run({ payload: { x: 1 } });
    const cb = await runner.getOperation("cb").waitForData(WaitingOperationStatus.STARTED);
    await cb.sendCallbackSuccess("hello");
    const res = await pr;
    expect(res.getStatus()).toBe("SUCCEEDED");
    expect(res.getResult()).toEqual({ a: 2, r: "hello", c: 5 });
    expect(Date.now() - t).toBeLessThan(1000);
    expect(runner.getOperation("w").getWaitDetails()?.waitSeconds).toBe(60);
  });
});
