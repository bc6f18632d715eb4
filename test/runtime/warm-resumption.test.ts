import { describe, expect, it } from "vitest";
import { retryPresets, withDurableExecution, type DurableContext, type OperationRecord } from "../../runtime/index.js";
import { startInvocation } from "../../runtime/run-invocation.js";
import { LocalDurableTestRunner, WaitingOperationStatus } from "../../testing/index.js";
import { scenarios } from "../testing/compat/scenarios.replayable.js";
import { newExecution } from "./harness.js";

type Resumption = "replay" | "warm";
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a handler on the runner (replay check on unless said otherwise) in one resumption mode. */
async function runIn(
  resumption: Resumption,
  handler: unknown,
  options: { replayCheck?: boolean; payload?: unknown; functions?: Record<string, (e: any) => Promise<unknown>>; interact?: (runner: LocalDurableTestRunner) => Promise<void> } = {},
) {
  const runner = new LocalDurableTestRunner({ handlerFunction: handler, resumption, startTime: 1_000_000, replayCheck: options.replayCheck });
  for (const [name, fn] of Object.entries(options.functions ?? {})) runner.registerFunction(name, fn);
  const [result] = await Promise.all([runner.run({ payload: options.payload ?? { id: "o-1" } }), options.interact?.(runner)]);
  return { runner, result };
}

/** What the journal must agree on between modes: identity, kind, status and outcome of every record, in order. */
const journalOf = (records: OperationRecord[]) =>
  records.map((r) => ({
    id: r.Id,
    parent: r.ParentId,
    name: r.Name,
    type: r.Type,
    subType: r.SubType,
    status: r.Status,
    attempt: r.StepDetails?.Attempt,
    result: r.StepDetails?.Result ?? r.ContextDetails?.Result ?? r.CallbackDetails?.Result ?? r.ChainedInvokeDetails?.Result,
    error: (r.StepDetails?.Error ?? r.ContextDetails?.Error ?? r.CallbackDetails?.Error ?? r.ChainedInvokeDetails?.Error)?.ErrorMessage,
    start: r.StartTimestamp.getTime(),
    end: r.EndTimestamp?.getTime(),
  }));

describe("warm resumption", () => {
  it("runs orchestration code once per execution, where replay runs it once per invocation", async () => {
    const runs = { replay: { top: 0, afterFirstWait: 0, end: 0 }, warm: { top: 0, afterFirstWait: 0, end: 0 } };
    const handlerFor = (counter: { top: number; afterFirstWait: number; end: number }) =>
      withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
        counter.top++; // orchestration code outside any step
        const a = await ctx.step("a", async () => 1);
        await ctx.wait("first", { seconds: 10 });
        counter.afterFirstWait++;
        const b = await ctx.step("b", async () => 2);
        await ctx.wait("second", { minutes: 1 });
        counter.end++;
        return a + b;
      });
    // The replay check re-runs the handler from its first line; off here, to count real runs only.
    const replay = await runIn("replay", handlerFor(runs.replay), { replayCheck: false });
    const warm = await runIn("warm", handlerFor(runs.warm), { replayCheck: false });
    expect(replay.result.getResult()).toBe(3);
    expect(warm.result.getResult()).toBe(3);
    expect(replay.result.getInvocations()).toHaveLength(3);
    expect(runs.replay).toEqual({ top: 3, afterFirstWait: 2, end: 1 });
    expect(warm.result.getInvocations()).toHaveLength(3); // three rounds of one live invocation
    expect(new Set(warm.result.getInvocations().map((i) => i.requestId)).size).toBe(1);
    expect(runs.warm).toEqual({ top: 1, afterFirstWait: 1, end: 1 });
  });

  it("with the replay check on, only the check's cold replays run orchestration code again", async () => {
    let top = 0;
    const handler = withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
      top++;
      await ctx.wait("w", { seconds: 1 });
      return "ok";
    });
    const { result } = await runIn("warm", handler);
    expect(result.getResult()).toBe("ok");
    // One live run, plus one cold replay after each of the two rounds.
    expect(top).toBe(3);
  });

  describe("produces the same journal as replay", () => {
    const cases: Record<string, { handler: () => unknown; functions?: Record<string, (e: any) => Promise<unknown>>; interact?: (runner: LocalDurableTestRunner) => Promise<void> }> = {
      "steps, waits and a retried step": {
        handler: () => {
          let calls = 0;
          return withDurableExecution(async (event: { id: string }, ctx: DurableContext) => {
            const price = await ctx.step("price", async () => 42);
            await ctx.wait("cool-off", { minutes: 30 });
            const flaky = await ctx.step("flaky", async ({ attempt }) => {
              calls++;
              if (attempt < 3) throw new Error(`attempt ${attempt}`);
              return `ok after ${calls}`;
            }, { retryStrategy: retryPresets.linear }); // no jitter: both runs wait as long
            return { id: event.id, price, flaky, at: ctx.now() };
          });
        },
      },
      "nested child contexts, map and parallel with waits": {
        handler: () =>
          withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
            const child = await ctx.runInChildContext("outer", async (outer) => {
              await outer.wait("outer-wait", { seconds: 5 });
              return outer.runInChildContext("inner", async (inner) => {
                await inner.wait({ seconds: 7 });
                return inner.step("deep", async () => "deep");
              });
            });
            const mapped = await ctx.map("items", [3, 1, 2], async (item, n) => {
              await item.wait({ seconds: n });
              return item.step("double", async () => n * 2);
            }, { maxConcurrency: 2 });
            const par = await ctx.parallel("both", [
              async (b) => b.step("one", async () => 1),
              { name: "slow", func: async (b) => (await b.wait({ seconds: 20 }), b.step("two", async () => 2)) },
            ]);
            return { child, mapped: mapped.getResults(), par: par.getResults() };
          }),
      },
      "promise combinators spanning waits, and a race whose loser keeps waiting": {
        handler: () =>
          withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
            const after = (name: string, seconds: number, value: string) =>
              ctx.runInChildContext(name, async (c) => (await c.wait({ seconds }), value));
            const all = await ctx.promise.all("all", [after("w1", 3, "one"), ctx.step("s1", async () => "two")]);
            const race = await ctx.promise.race("race", [after("long", 7200, "long"), after("short", 2, "short")]);
            const settled = await ctx.promise.allSettled("settled", [
              ctx.step("bad", async () => { throw new Error("bad"); }, { retryStrategy: () => ({ shouldRetry: false }) }),
              after("w2", 1, "fine"),
            ]);
            await ctx.wait("after", { hours: 3 }); // the lost race's wait completes meanwhile
            return { all, race, settled: settled.map((s) => s.status) };
          }),
      },
      "map stopped at minSuccessful while an item still waits": {
        handler: () =>
          withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
            const result = await ctx.map("first-one", [1, 60], async (item, n) => {
              await item.wait({ seconds: n });
              // Never reached for the slow item on replay: its map completed before the wait ended.
              return item.step("after-wait", async () => n);
            }, { completionConfig: { minSuccessful: 1 } });
            await ctx.wait("later", { minutes: 5 });
            return result.getResults();
          }),
      },
      "a step retry in a parallel branch left behind at minSuccessful is not run again": {
        handler: () =>
          withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
            const first = await ctx.parallel("first-wins", [
              async (b) => b.step("flaky", async () => { throw new Error("down"); }, { retryStrategy: () => ({ shouldRetry: true, delay: { seconds: 30 } }) }),
              async (b) => (await b.wait("quick", { seconds: 1 }), "quick"),
            ], { completionConfig: { minSuccessful: 1 } });
            await ctx.wait("after", { minutes: 2 });
            return first.getResults();
          }),
      },
      "callbacks, waitForCallback, waitForCondition and invoke": {
        handler: () =>
          withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
            const [approval] = await ctx.createCallback("approval", { timeout: { minutes: 5 } });
            const [late] = await ctx.createCallback("late", { timeout: { seconds: 30 } });
            const lateOutcome = await late.then(() => "ok", (e: unknown) => (e as Error).name);
            const answer = await ctx.waitForCallback("ask", async () => undefined, { timeout: { minutes: 10 } });
            const polled = await ctx.waitForCondition("poll", async (n: number) => n + 1, {
              initialState: 0,
              waitStrategy: (n) => (n >= 3 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 10 } }),
            });
            const user = await ctx.invoke("load-user", "users-fn", { id: "u1" });
            return { approved: await approval, lateOutcome, answer, polled, user };
          }),
        functions: { "users-fn": async (e: { id: string }) => ({ id: e.id, name: "Ann" }) },
        interact: async (runner) => {
          await (await runner.getOperation("approval").waitForData()).sendCallbackSuccess("yes");
          await (await runner.getOperation("ask").waitForData(WaitingOperationStatus.SUBMITTED)).sendCallbackSuccess("sure");
        },
      },
    };
    for (const [name, spec] of Object.entries(cases)) {
      it(name, async () => {
        const replay = await runIn("replay", spec.handler(), spec);
        const warm = await runIn("warm", spec.handler(), spec);
        expect(warm.result.getStatus()).toBe(replay.result.getStatus());
        expect(warm.result.getResult()).toEqual(replay.result.getResult());
        expect(journalOf(warm.runner.records())).toEqual(journalOf(replay.runner.records()));
      });
    }
  });

  describe("leaves the same journal as replay in every compatibility scenario", () => {
    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        const journals: Record<Resumption, unknown> = { replay: undefined, warm: undefined };
        for (const resumption of ["replay", "warm"] as const) {
          const setup = scenario.setup();
          const { runner } = await runIn(resumption, setup.handler, { payload: setup.payload, functions: setup.functions, interact: setup.interact as never });
          journals[resumption] = journalOf(runner.records());
        }
        expect(journals.warm).toEqual(journals.replay);
      });
    }
  });

  it("a try/finally around a wait runs finally once, after the wait completes", async () => {
    const seen: string[] = [];
    let runner: LocalDurableTestRunner | undefined;
    const handler = withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
      try {
        seen.push("before");
        await ctx.wait("nap", { minutes: 1 });
        seen.push("after wait");
      } catch {
        seen.push("catch");
      } finally {
        seen.push(`finally (nap ${runner!.getOperation("nap").getStatus()})`);
      }
      return "done";
    });
    runner = new LocalDurableTestRunner({ handlerFunction: handler, resumption: "warm", replayCheck: false });
    const result = await runner.run();
    expect(result.getResult()).toBe("done");
    expect(result.getInvocations()).toHaveLength(2);
    expect(seen).toEqual(["before", "after wait", "finally (nap SUCCEEDED)"]);
  });
});

describe("startInvocation", () => {
  const executionArn = "arn:test:execution/live";

  it("resumes the awaits suspended on delivered operations, round by round", async () => {
    const store = newExecution();
    const seen: string[] = [];
    let now = 0;
    const live = startInvocation({
      store,
      executionArn,
      clock: () => now,
      handler: async (_e, ctx: DurableContext) => {
        try {
          await Promise.all([ctx.wait("a", { seconds: 1 }), ctx.wait("b", { seconds: 2 })]);
          seen.push("both waits done");
        } finally {
          seen.push("finally");
        }
        return ctx.step("s", async () => "result");
      },
    });
    const first = await live.next();
    expect(first).toMatchObject({ status: "PENDING", issued: ["a#0", "b#0"] });
    expect(seen).toEqual([]);

    // The host persists the fired timer itself, then delivers it.
    now = 1_000;
    store.save({ ...store.get("a#0")!, Status: "SUCCEEDED", EndTimestamp: new Date(now) });
    live.deliver([store.get("a#0")!]);
    expect(await live.next()).toMatchObject({ status: "PENDING", issued: [] });
    expect(seen).toEqual([]);

    now = 2_000;
    store.save({ ...store.get("b#0")!, Status: "SUCCEEDED", EndTimestamp: new Date(now) });
    live.deliver([store.get("b#0")!]);
    const last = await live.next();
    expect(last).toMatchObject({ status: "SUCCEEDED", result: JSON.stringify("result"), issued: ["s#0"], unconsumed: [] });
    expect(seen).toEqual(["both waits done", "finally"]);
    expect(store.get("s#0")?.Status).toBe("SUCCEEDED");
    expect(await live.next()).toBe(last); // settled: the same outcome again
    expect(() => live.deliver([])).toThrow(/only after next\(\) returned PENDING/);
    live.close();
  });

  it("a delivered record that is still not due suspends again, and an empty delivery ends a round at once", async () => {
    const store = newExecution();
    const live = startInvocation({ store, executionArn, clock: () => 0, handler: async (_e, ctx: DurableContext) => ctx.wait("w", { seconds: 5 }) });
    expect((await live.next()).status).toBe("PENDING");
    live.deliver([store.get("w#0")!]);
    expect((await live.next()).status).toBe("PENDING");
    live.deliver([]);
    expect((await live.next()).status).toBe("PENDING");
    live.close();
  });

  it("delivery to a closed live invocation does nothing, and its suspended awaits never settle", async () => {
    const store = newExecution();
    const seen: string[] = [];
    const live = startInvocation({
      store,
      executionArn,
      clock: () => 0,
      handler: async (_e, ctx: DurableContext) => {
        try {
          await ctx.wait("w", { seconds: 1 });
          seen.push("after wait");
        } catch {
          seen.push("catch");
        } finally {
          seen.push("finally");
        }
      },
    });
    expect((await live.next()).status).toBe("PENDING");
    live.close();
    const fired: OperationRecord = { ...store.get("w#0")!, Status: "SUCCEEDED", EndTimestamp: new Date(1_000) };
    store.save(fired);
    expect(() => live.deliver([fired])).not.toThrow();
    for (let i = 0; i < 5; i++) await nextMacrotask();
    expect(seen).toEqual([]);
    await expect(live.next()).rejects.toThrow(/closed/);
  });

  it("a step retry resumes warm: the body runs once per attempt and the retry is read from the delivered record", async () => {
    const store = newExecution();
    const attempts: number[] = [];
    let now = 0;
    const live = startInvocation({
      store,
      executionArn,
      clock: () => now,
      handler: async (_e, ctx: DurableContext) =>
        ctx.step("flaky", async ({ attempt }) => {
          attempts.push(attempt);
          if (attempt < 2) throw new Error("not yet");
          return attempt;
        }, { retryStrategy: () => ({ shouldRetry: true, delay: { seconds: 10 } }) }),
    });
    expect((await live.next()).status).toBe("PENDING");
    expect(store.get("flaky#0")?.Status).toBe("PENDING");
    now = 10_000;
    store.save({ ...store.get("flaky#0")!, Status: "READY" });
    live.deliver([store.get("flaky#0")!]);
    expect(await live.next()).toMatchObject({ status: "SUCCEEDED", result: "2" });
    expect(attempts).toEqual([1, 2]);
    live.close();
  });
});
