import { describe, expect, it } from "vitest";
import type { DurableContext } from "../../runtime/index.js";
import { invokeOnce, newExecution } from "./harness.js";

const v1 = async (_e: unknown, ctx: DurableContext) => {
  await ctx.step("charge", async () => "charged");
  await ctx.wait("cooldown", { seconds: 60 });
  return "v1";
};
const v2 = async (_e: unknown, ctx: DurableContext) => {
  await ctx.step("charge", async () => "charged");
  const withReceipt = ctx.patched("send-receipt");
  if (withReceipt) await ctx.step("receipt", async () => "sent");
  await ctx.wait("cooldown", { seconds: 60 });
  return withReceipt ? "v2 with receipt" : "v2 without receipt";
};

describe("context.patched(id)", () => {
  it("is false while replaying an execution that started before the patch", async () => {
    const store = newExecution();
    expect((await invokeOnce(v1, store, 0)).status).toBe("PENDING");
    const resumed = await invokeOnce(v2, store, 60_000);
    expect(resumed).toMatchObject({ status: "SUCCEEDED", result: '"v2 without receipt"' });
    expect(store.get("receipt#0")).toBeUndefined();
  });

  it("is true for new executions and stays true when they replay", async () => {
    const store = newExecution();
    expect((await invokeOnce(v2, store, 0)).status).toBe("PENDING");
    expect(store.get("patch:send-receipt")).toMatchObject({ SubType: "Patch", Name: "send-receipt" });
    const resumed = await invokeOnce(v2, store, 60_000);
    expect(resumed).toMatchObject({ status: "SUCCEEDED", result: '"v2 with receipt"' });
  });

  it("can be removed once no execution predates the patch: the marker is not an operation to meet again", async () => {
    // v3: the patched branch became unconditional and the patched() call was removed.
    const v3 = async (_e: unknown, ctx: DurableContext) => {
      await ctx.step("charge", async () => "charged");
      await ctx.step("receipt", async () => "sent");
      await ctx.wait("cooldown", { seconds: 60 });
      return "v3";
    };
    const store = newExecution();
    expect((await invokeOnce(v2, store, 0)).status).toBe("PENDING");
    expect(store.get("patch:send-receipt")).toBeDefined();
    const resumed = await invokeOnce(v3, store, 60_000);
    expect(resumed).toMatchObject({ status: "SUCCEEDED", result: '"v3"', unconsumed: [] });
  });

  it("a patch marker inside a child context does not hold back the context's new operations", async () => {
    const before = async (_e: unknown, ctx: DurableContext) =>
      ctx.runInChildContext("order", async (child) => {
        if (child.patched("fast-path")) await child.step("fast", async () => 1);
        await child.wait("pause", { seconds: 10 });
        return child.step("after", async () => 2);
      });
    const after = async (_e: unknown, ctx: DurableContext) =>
      ctx.runInChildContext("order", async (child) => {
        await child.step("fast", async () => 1);
        await child.wait("pause", { seconds: 10 });
        return child.step("after", async () => 2);
      });
    const store = newExecution();
    expect((await invokeOnce(before, store, 0)).status).toBe("PENDING");
    expect(await invokeOnce(after, store, 10_000)).toMatchObject({ status: "SUCCEEDED", result: "2", unconsumed: [] });
  });
});
