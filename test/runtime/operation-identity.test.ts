import { describe, expect, it } from "vitest";
import type { DurableContext } from "../../runtime/index.js";
import { invokeOnce, newExecution, record } from "./harness.js";

describe("operation identity: parent / name-or-type # occurrence", () => {
  it("keys operations by name, so reordering concurrent named steps keeps each one's result", async () => {
    const store = newExecution();
    const first = await invokeOnce(async (_e, ctx: DurableContext) => {
      const [a, b] = await Promise.all([ctx.step("a", async () => "A"), ctx.step("b", async () => "B")]);
      await ctx.wait("w", { seconds: 10 });
      return `${a}${b}`;
    }, store);
    expect(first.status).toBe("PENDING");
    expect(record(store, "a#0")?.StepDetails?.Result).toBe('"A"');

    let bodiesRun = 0;
    const second = await invokeOnce(async (_e, ctx: DurableContext) => {
      const [b, a] = await Promise.all([
        ctx.step("b", async () => (bodiesRun++, "wrong")),
        ctx.step("a", async () => (bodiesRun++, "wrong")),
      ]);
      await ctx.wait("w", { seconds: 10 });
      return `${a}${b}`;
    }, store, 1_000_000 + 10_000);
    expect(second).toMatchObject({ status: "SUCCEEDED", result: '"AB"' });
    expect(bodiesRun).toBe(0);
  });

  it("numbers repeated names and unnamed operations by occurrence within their context", async () => {
    const store = newExecution();
    await invokeOnce(async (_e, ctx: DurableContext) => {
      await ctx.step("poll", async () => 1);
      await ctx.step("poll", async () => 2);
      await ctx.step(async () => 3);
      await ctx.runInChildContext("child", async (child) => child.step("poll", async () => 4));
    }, store);
    expect(record(store, "poll#0")?.StepDetails?.Result).toBe("1");
    expect(record(store, "poll#1")?.StepDetails?.Result).toBe("2");
    expect(record(store, "Step#0")?.StepDetails?.Result).toBe("3");
    expect(record(store, "child#0/poll#0")).toMatchObject({ ParentId: "child#0", StepDetails: { Result: "4" } });
  });

  it("throws NonDeterministicExecutionError naming both operations when the kind at a key changes", async () => {
    const store = newExecution();
    await invokeOnce(async (_e, ctx: DurableContext) => {
      await ctx.step("fetch", async () => 1);
      await ctx.wait("later", { seconds: 5 });
    }, store);
    let caught = false;
    const outcome = await invokeOnce(async (_e, ctx: DurableContext) => {
      try {
        await ctx.wait("fetch", { seconds: 1 });
      } catch {
        caught = true; // a divergence cannot be swallowed by the handler
      }
    }, store);
    expect(caught).toBe(false);
    expect(outcome.status).toBe("FAILED");
    if (outcome.status !== "FAILED") return;
    expect(outcome.nonDeterministic).toBe(true);
    expect(outcome.error.ErrorType).toBe("NonDeterministicExecutionError");
    expect(outcome.error.ErrorMessage).toContain('Wait "fetch" (id fetch#0)');
    expect(outcome.error.ErrorMessage).toContain('Step "fetch" (id fetch#0)');
  });

  it("treats a new operation issued while recorded ones are unconsumed as a divergence", async () => {
    const store = newExecution();
    await invokeOnce(async (_e, ctx: DurableContext) => {
      await ctx.step("reserve", async () => 1);
      await ctx.wait("hold", { seconds: 60 });
    }, store);
    let inserted = 0;
    const outcome = await invokeOnce(async (_e, ctx: DurableContext) => {
      await ctx.step("audit", async () => ++inserted); // inserted before recorded operations
      await ctx.step("reserve", async () => 1);
      await ctx.wait("hold", { seconds: 60 });
    }, store);
    expect(outcome.status).toBe("FAILED");
    if (outcome.status !== "FAILED") return;
    expect(outcome.error.ErrorMessage).toContain('Step "audit" (id audit#0)');
    expect(outcome.error.ErrorMessage).toContain('Step "reserve" (id reserve#0)');
    expect(inserted).toBe(0); // the new step's body never ran
  });

  it("accepts new operations after every recorded one was met again, even from concurrent branches", async () => {
    const store = newExecution();
    await invokeOnce(async (_e, ctx: DurableContext) => {
      await Promise.all([
        (async () => {
          await ctx.step("a1", async () => 1);
          await ctx.step("a2", async () => 2);
          await ctx.step("a3", async () => 3);
        })(),
        ctx.wait("w", { seconds: 1 }),
      ]);
    }, store);
    const outcome = await invokeOnce(async (_e, ctx: DurableContext) => {
      await Promise.all([
        (async () => {
          await ctx.step("a1", async () => 1);
          await ctx.step("a2", async () => 2);
          await ctx.step("a3", async () => 3);
        })(),
        // after the wait, a new step is issued while a2/a3 are still being replayed
        ctx.wait("w", { seconds: 1 }).then(() => ctx.step("after-wait", async () => "new")),
      ]);
      return "ok";
    }, store, 1_000_000 + 5_000);
    expect(outcome).toMatchObject({ status: "SUCCEEDED", result: '"ok"' });
    expect(record(store, "after-wait#0")?.Status).toBe("SUCCEEDED");
  });

  it("reports recorded operations a completed execution never reached", async () => {
    const store = newExecution();
    await invokeOnce(async (_e, ctx: DurableContext) => {
      await ctx.step("a", async () => 1);
      await ctx.step("dropped", async () => 2);
      await ctx.wait("w", { seconds: 1 });
    }, store);
    const outcome = await invokeOnce(async (_e, ctx: DurableContext) => {
      await ctx.step("a", async () => 1);
      await ctx.wait("w", { seconds: 1 });
      return "done";
    }, store, 1_000_000 + 2_000);
    expect(outcome.status).toBe("SUCCEEDED");
    expect(outcome.unconsumed).toEqual(["dropped#0"]);
  });
});
