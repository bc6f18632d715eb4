import { describe, expect, it } from "vitest";
import { withDurableExecution, type DurableContext } from "../../runtime/index.js";
import { LocalDurableTestRunner } from "../../testing/index.js";
import { invokeOnce, newExecution } from "./harness.js";

describe("suspension", () => {
  it("cannot be observed by try/catch/finally in the handler", async () => {
    const store = newExecution();
    const seen: string[] = [];
    const handler = async (_e: unknown, ctx: DurableContext) => {
      try {
        await ctx.wait("nap", { minutes: 1 });
        seen.push("after wait");
      } catch {
        seen.push("catch");
      } finally {
        seen.push("finally");
      }
      return "done";
    };
    const first = await invokeOnce(handler, store, 0);
    expect(first.status).toBe("PENDING");
    expect(seen).toEqual([]);
    const second = await invokeOnce(handler, store, 60_000);
    expect(second.status).toBe("SUCCEEDED");
    expect(seen).toEqual(["after wait", "finally"]);
  });

  it("waits for a running step in another branch before suspending", async () => {
    const store = newExecution();
    const outcome = await invokeOnce(async (_e, ctx: DurableContext) => {
      await Promise.all([
        ctx.wait("w", { seconds: 30 }),
        ctx.step("slow", async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return "finished";
        }),
      ]);
    }, store);
    expect(outcome.status).toBe("PENDING");
    expect(store.get("slow#0")?.Status).toBe("SUCCEEDED");
  });

  it("waits for a slow asynchronous serdes before suspending, on the first run and on replay", async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const slowSerdes = {
      serialize: async (value: string | undefined) => (await sleep(15), JSON.stringify(value)),
      deserialize: async (data: string | undefined) => (await sleep(15), data === undefined ? undefined : (JSON.parse(data) as string)),
    };
    let bodyRuns = 0;
    const handler = async (_e: unknown, ctx: DurableContext) => {
      const [, b] = await Promise.all([
        ctx.wait("w", { seconds: 30 }),
        (async () => {
          const a = await ctx.step("a", async () => (bodyRuns++, "A"), { serdes: slowSerdes });
          return ctx.step("b", async () => `${a}B`);
        })(),
      ]);
      return b;
    };
    const store = newExecution();
    expect((await invokeOnce(handler, store, 0)).status).toBe("PENDING");
    expect(store.get("a#0")?.Status).toBe("SUCCEEDED");
    expect(store.get("b#0")?.Status).toBe("SUCCEEDED");
    // Still suspended on the wait: the replay deserializes "a" slowly and must still reach "b".
    const second = await invokeOnce(handler, store, 10_000);
    expect(second.status).toBe("PENDING");
    expect(second.issued).toEqual(expect.arrayContaining(["a#0", "b#0"]));
    const third = await invokeOnce(handler, store, 30_000);
    expect(third).toMatchObject({ status: "SUCCEEDED", result: JSON.stringify("AB") });
    expect(bodyRuns).toBe(1);
  });

  it("suspends on a retry delay and resumes with the next attempt", async () => {
    const attempts: number[] = [];
    const handler = withDurableExecution(async (_e: unknown, ctx: DurableContext) =>
      ctx.step("flaky", async ({ attempt }) => {
        attempts.push(attempt);
        if (attempt < 3) throw new Error("not yet");
        return attempt;
      }, { retryStrategy: (_err, n) => ({ shouldRetry: n < 5, delay: { seconds: 30 } }) }),
    );
    const runner = new LocalDurableTestRunner({ handlerFunction: handler });
    const result = await runner.run();
    expect(result.getResult()).toBe(3);
    expect(attempts).toEqual([1, 2, 3]);
    expect(result.getInvocations()).toHaveLength(3);
    expect(runner.getOperation("flaky").getStepDetails()?.attempt).toBe(3);
  });
});
