import { describe, expect, it } from "vitest";
import { SOURCE_POSITION, type DurableContext } from "../../runtime/index.js";
import { invokeOnce, newExecution } from "./harness.js";

/** What the transformer does: tag the step function with where it was written. */
const at = <F extends object>(fn: F, position: string): F => Object.assign(fn, { [SOURCE_POSITION]: position });

describe("source positions supplied by the transformer", () => {
  it("are recorded and named in divergence errors, for both operations", async () => {
    const store = newExecution();
    await invokeOnce(async (_e, ctx: DurableContext) => {
      await ctx.step("load", at(async () => 1, "order.ts:12:9"));
      await ctx.wait("w", { seconds: 1 });
    }, store);
    expect(store.get("load#0")?.SourcePosition).toBe("order.ts:12:9");
    const outcome = await invokeOnce(async (_e, ctx: DurableContext) => {
      await ctx.step("audit", at(async () => 0, "order.ts:11:9"));
    }, store);
    expect(outcome.status).toBe("FAILED");
    if (outcome.status !== "FAILED") return;
    expect(outcome.error.ErrorMessage).toContain('Step "audit" (id audit#0 at order.ts:11:9)');
    expect(outcome.error.ErrorMessage).toContain('Step "load" (id load#0 at order.ts:12:9)');
  });
});
