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
});
