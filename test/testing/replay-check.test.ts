import { describe, expect, it } from "vitest";
import { withDurableExecution, type DurableContext } from "../../runtime/index.js";
import { LocalDurableTestRunner, ReplayDivergenceError } from "../../testing/index.js";

const run = (handler: (e: unknown, ctx: DurableContext) => Promise<unknown>, replayCheck = true) =>
  new LocalDurableTestRunner({ handlerFunction: withDurableExecution(handler), replayCheck }).run();

describe("replay check", () => {
  it("fails a handler that names a step from Date.now() outside a step", async () => {
    const attempt = run(async (_e, ctx) => ctx.step(`report-${Date.now()}`, async () => 1));
    await expect(attempt).rejects.toBeInstanceOf(ReplayDivergenceError);
    await expect(run(async (_e, ctx) => ctx.step(`report-${Date.now()}`, async () => 1))).rejects.toThrow(/which the recorded run did not issue/);
  });

  it("fails a handler whose result is computed from Date.now() outside a step", async () => {
    await expect(
      run(async (_e, ctx) => {
        await ctx.step("work", async () => 1);
        return { finishedAt: new Date().toISOString().slice(0, 13) };
      }),
    ).rejects.toThrow(/the replay returned/);
  });

  it("reports Date() called without new as a clock read, like new Date()", async () => {
    const attempt = run(async (_e, ctx) => {
      await ctx.step("work", async () => 1);
      return Date().slice(0, 15);
    });
    await expect(attempt).rejects.toBeInstanceOf(ReplayDivergenceError);
    await expect(
      run(async (_e, ctx) => {
        await ctx.step("work", async () => 1);
        return Date().slice(0, 15);
      }),
    ).rejects.toThrow(/the handler returned ".*" but the replay returned/);
  });

  it("keeps Date working as Date while replaying: instanceof, statics, subclasses, Date() strings", async () => {
    const result = await run(async (_e, ctx) => {
      await ctx.step("work", async () => 1);
      class Stamp extends Date {} // extends whatever Date is while the handler runs
      const fixed = new Date(0);
      return {
        isDate: fixed instanceof Date && new Stamp(0) instanceof Date && new Stamp(5).getTime() === 5,
        utc: Date.UTC(2020, 0, 1),
        parsed: Date.parse("2020-01-01T00:00:00Z"),
        iso: fixed.toISOString(),
        dateString: typeof Date() === "string",
      };
    });
    expect(result.getResult()).toEqual({ isDate: true, utc: 1577836800000, parsed: 1577836800000, iso: "1970-01-01T00:00:00.000Z", dateString: true });
  });

  it("fails a handler that branches on Math.random() outside a step", async () => {
    await expect(
      run(async (_e, ctx) => {
        const pick = Math.random();
        return ctx.step(pick < 2 ? `variant-${pick}` : "never", async () => 1);
      }),
    ).rejects.toBeInstanceOf(ReplayDivergenceError);
  });

  it("checks every invocation, not only the last", async () => {
    await expect(
      run(async (_e, ctx) => {
        if (new Date().getUTCDate() >= 0) await ctx.wait(`wait-${Date.now()}`, { seconds: 5 });
        return "done";
      }),
    ).rejects.toThrow(/Replay check after invocation 1/);
  });

  it("passes deterministic handlers, including those using context.now(), random() and uuid()", async () => {
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        const startedAt = ctx.now();
        const id = ctx.uuid();
        await ctx.wait("pause", { seconds: 90 });
        const roll = Math.floor(ctx.random() * 6) + 1;
        return { elapsed: ctx.now() - startedAt, id, roll, stepName: await ctx.step(`step-${id}`, async () => "ok") };
      }),
      startTime: 1_700_000_000_000,
    });
    const result = await runner.run();
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toMatchObject({ elapsed: 90_000, stepName: "ok" });
  });

  it("can be turned off", async () => {
    const result = await run(async (_e, ctx) => ctx.step(`report-${Date.now()}`, async () => 1), false);
    expect(result.getStatus()).toBe("SUCCEEDED");
  });
});
