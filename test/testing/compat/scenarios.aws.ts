// Compatibility scenarios, written against the AWS SDK's API. scenarios.replayable.ts is
// this file with only the import changed (checked by compat-source.test.ts).
import {
  withDurableExecution,
  createRetryStrategy,
  createWaitStrategy,
  retryPresets,
  StepSemantics,
  JitterStrategy,
  StepError,
  CallbackError,
  CallbackTimeoutError,
  ChildContextError,
  InvokeError,
  PromiseCombinatorError,
  type DurableContext,
} from "@aws/durable-execution-sdk-js";
import { describeError, type Scenario } from "./scenario-types.js";

const fixedRetry = (maxAttempts: number) => createRetryStrategy({ maxAttempts, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE });

export const scenarios: Scenario[] = [
  {
    name: "named step returns its value",
    setup: () => ({
      handler: withDurableExecution(async (event: { n: number }, ctx: DurableContext) => ctx.step("double", async () => event.n * 2)),
      payload: { n: 21 },
    }),
    expected: { status: "SUCCEEDED", result: 42, operations: { double: "SUCCEEDED" } },
  },
  {
    name: "unnamed steps run in order",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const a = await ctx.step(async () => "a");
        const b = await ctx.step(async () => `${a}b`);
        return ctx.step(async () => `${b}c`);
      }),
    }),
    expected: { status: "SUCCEEDED", result: "abc" },
  },
  {
    name: "step retries until it succeeds",
    setup: () => {
      let calls = 0;
      return {
        handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
          const attempt = await ctx.step(
            "flaky",
            async (stepCtx) => {
              calls++;
              if (calls < 3) throw new Error(`failure ${calls}`);
              return stepCtx.attempt;
            },
            { retryStrategy: fixedRetry(5) },
          );
          return { attempt, calls };
        }),
      };
    },
    expected: { status: "SUCCEEDED", result: { attempt: 3, calls: 3 }, operations: { flaky: "SUCCEEDED" } },
  },
  {
    name: "step exhausts its retries and throws StepError",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.step("always-fails", async () => {
            throw new TypeError("bad input");
          }, { retryStrategy: fixedRetry(2) });
          return "unreachable";
        } catch (e) {
          return { ...describeError(e), isStepError: e instanceof StepError };
        }
      }),
    }),
    expected: { status: "SUCCEEDED", result: { name: "StepError", message: "bad input", cause: "bad input", isStepError: true }, operations: { "always-fails": "FAILED" } },
  },
  {
    name: "retryStrategy decides by error and attempt",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.step("classified", async (stepCtx) => {
            throw new Error(stepCtx.attempt < 2 ? "retryable glitch" : `fatal at attempt ${stepCtx.attempt}`);
          }, {
            retryStrategy: (error, attempt) =>
              error.message.startsWith("retryable") && attempt < 5 ? { shouldRetry: true, delay: { seconds: 2 } } : { shouldRetry: false },
          });
          return "unreachable";
        } catch (e) {
          return describeError(e);
        }
      }),
    }),
    expected: { status: "SUCCEEDED", result: { name: "StepError", message: "fatal at attempt 2", cause: "fatal at attempt 2" }, operations: { classified: "FAILED" } },
  },
  {
    name: "uncaught step failure fails the execution",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        await ctx.step("charge", async () => {
          throw new Error("card declined");
        }, { retryStrategy: retryPresets.noRetry });
        return "unreachable";
      }),
    }),
    expected: { status: "FAILED", errorMessage: "card declined", operations: { charge: "FAILED" } },
  },
  {
    name: "at-most-once step runs once and returns",
    setup: () => {
      let runs = 0;
      return {
        handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
          const v = await ctx.step("pay", async () => ++runs, { semantics: StepSemantics.AtMostOncePerRetry });
          await ctx.wait("settle", { seconds: 5 });
          return { v, runs };
        }),
      };
    },
    expected: { status: "SUCCEEDED", result: { v: 1, runs: 1 }, operations: { pay: "SUCCEEDED" } },
  },
  {
    name: "at-most-once step failure with no retry",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.step("pay", async () => {
            throw new Error("gateway down");
          }, { semantics: StepSemantics.AtMostOncePerRetry, retryStrategy: retryPresets.noRetry });
          return "unreachable";
        } catch (e) {
          return describeError(e);
        }
      }),
    }),
    expected: { status: "SUCCEEDED", result: { name: "StepError", message: "gateway down", cause: "gateway down" } },
  },
  {
    name: "wait of 60 seconds then a step",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const before = await ctx.step("before", async () => 1);
        await ctx.wait("pause", { seconds: 60 });
        const after = await ctx.step("after", async () => 2);
        return before + after;
      }),
    }),
    expected: { status: "SUCCEEDED", result: 3, operations: { before: "SUCCEEDED", pause: "SUCCEEDED", after: "SUCCEEDED" } },
  },
  {
    name: "several unnamed waits with minutes and hours",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        await ctx.wait({ seconds: 1 });
        await ctx.wait({ minutes: 2 });
        await ctx.wait({ hours: 1 });
        return "done";
      }),
    }),
    expected: { status: "SUCCEEDED", result: "done" },
  },
  {
    name: "createCallback resolves with the raw string sent",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const [promise, callbackId] = await ctx.createCallback("approval", { timeout: { minutes: 5 } });
        await ctx.step("notify", async () => typeof callbackId);
        return await promise;
      }),
      interact: async (runner) => {
        const op = await runner.getOperation("approval").waitForData();
        await op.sendCallbackSuccess(JSON.stringify({ approved: true }));
      },
    }),
    expected: { status: "SUCCEEDED", result: '{"approved":true}', operations: { approval: "SUCCEEDED", notify: "SUCCEEDED" } },
  },
  {
    name: "createCallback failure surfaces as CallbackError",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const [promise] = await ctx.createCallback("approval");
        try {
          await promise;
          return "unreachable";
        } catch (e) {
          return { message: (e as Error).message, isCallbackError: e instanceof CallbackError };
        }
      }),
      interact: async (runner) => {
        const op = await runner.getOperation("approval").waitForData();
        await op.sendCallbackFailure({ ErrorMessage: "rejected by reviewer", ErrorType: "Rejected" });
      },
    }),
    expected: { status: "SUCCEEDED", result: { message: "rejected by reviewer", isCallbackError: true }, operations: { approval: "FAILED" } },
  },
  {
    name: "createCallback times out",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const [promise] = await ctx.createCallback("approval", { timeout: { seconds: 1 } });
        try {
          await promise;
          return "unreachable";
        } catch (e) {
          return { isTimeout: e instanceof CallbackTimeoutError, isCallbackError: e instanceof CallbackError };
        }
      }),
    }),
    expected: { status: "SUCCEEDED", result: { isTimeout: true, isCallbackError: true }, operations: { approval: "TIMED_OUT" } },
  },
  {
    name: "createCallback heartbeat timeout",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const [promise] = await ctx.createCallback("job", { timeout: { minutes: 10 }, heartbeatTimeout: { seconds: 1 } });
        try {
          await promise;
          return "unreachable";
        } catch (e) {
          return { isTimeout: e instanceof CallbackTimeoutError };
        }
      }),
    }),
    expected: { status: "SUCCEEDED", result: { isTimeout: true }, operations: { job: "TIMED_OUT" } },
  },
  {
    name: "waitForCallback hands the id to the submitter and returns the result",
    setup: () => {
      const submitted: string[] = [];
      return {
        handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
          const answer = await ctx.waitForCallback("ask-human", async (callbackId) => {
            submitted.push(callbackId);
          }, { timeout: { minutes: 5 } });
          return { answer, submittedOnce: submitted.length === 1, idIsString: typeof submitted[0] === "string" };
        }),
        interact: async (runner) => {
          const op = await runner.getOperation("ask-human").waitForData("SUBMITTED");
          await op.sendCallbackSuccess("yes");
        },
      };
    },
    expected: { status: "SUCCEEDED", result: { answer: "yes", submittedOnce: true, idIsString: true }, operations: { "ask-human": "SUCCEEDED" } },
  },
  {
    name: "waitForCallback with a deserializer",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const parsed = await ctx.waitForCallback<{ score: number }>("score", async () => undefined, {
          serdes: { deserialize: async (data) => (data === undefined ? undefined : (JSON.parse(data) as { score: number })) },
        });
        return parsed.score + 1;
      }),
      interact: async (runner) => {
        const op = await runner.getOperation("score").waitForData("SUBMITTED");
        await op.sendCallbackSuccess(JSON.stringify({ score: 41 }));
      },
    }),
    expected: { status: "SUCCEEDED", result: 42 },
  },
  {
    name: "invoke calls a registered function",
    setup: () => ({
      handler: withDurableExecution(async (event: { id: string }, ctx: DurableContext) => {
        const user = await ctx.invoke<{ id: string }, { id: string; name: string }>("load-user", "users-fn", { id: event.id });
        return user.name;
      }),
      payload: { id: "u1" },
      functions: { "users-fn": async (event: { id: string }) => ({ id: event.id, name: `name-of-${event.id}` }) },
    }),
    expected: { status: "SUCCEEDED", result: "name-of-u1", operations: { "load-user": "SUCCEEDED" } },
  },
  {
    name: "invoke of a failing function throws InvokeError",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.invoke("call", "broken-fn", { x: 1 });
          return "unreachable";
        } catch (e) {
          return { isInvokeError: e instanceof InvokeError, message: (e as Error).message };
        }
      }),
      functions: {
        "broken-fn": async () => {
          throw new Error("downstream exploded");
        },
      },
    }),
    expected: { status: "SUCCEEDED", result: { isInvokeError: true, message: "downstream exploded" }, operations: { call: "FAILED" } },
  },
  {
    name: "nested child contexts with steps and a wait",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        return ctx.runInChildContext("outer", async (outer) => {
          const a = await outer.step("a", async () => 1);
          const inner = await outer.runInChildContext("inner", async (innerCtx) => {
            await innerCtx.wait("nap", { seconds: 30 });
            return (await innerCtx.step("b", async () => 2)) + a;
          });
          return inner * 10;
        });
      }),
    }),
    expected: { status: "SUCCEEDED", result: 30, operations: { outer: "SUCCEEDED", inner: "SUCCEEDED", nap: "SUCCEEDED", b: "SUCCEEDED" } },
  },
  {
    name: "child context failure throws ChildContextError",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.runInChildContext("risky", async () => {
            throw new Error("inner failure");
          });
          return "unreachable";
        } catch (e) {
          return { isChildContextError: e instanceof ChildContextError, message: (e as Error).message };
        }
      }),
    }),
    expected: { status: "SUCCEEDED", result: { isChildContextError: true, message: "inner failure" }, operations: { risky: "FAILED" } },
  },
  {
    name: "map over items",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const result = await ctx.map("square", [1, 2, 3, 4], async (itemCtx, n) => itemCtx.step("mul", async () => n * n));
        return { values: result.getResults(), reason: result.completionReason, total: result.totalCount, status: result.status };
      }),
    }),
    expected: { status: "SUCCEEDED", result: { values: [1, 4, 9, 16], reason: "ALL_COMPLETED", total: 4, status: "SUCCEEDED" }, operations: { square: "SUCCEEDED" } },
  },
  {
    name: "map with maxConcurrency 1 runs items one at a time",
    setup: () => {
      let active = 0;
      let maxActive = 0;
      return {
        handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
          const result = await ctx.map("serial", ["a", "b", "c"], async (itemCtx, letter) =>
            itemCtx.step("visit", async () => {
              active++;
              maxActive = Math.max(maxActive, active);
              await new Promise((resolve) => setImmediate(resolve));
              active--;
              return letter.toUpperCase();
            }),
          { maxConcurrency: 1 });
          return { values: result.getResults(), maxActive };
        }),
      };
    },
    expected: { status: "SUCCEEDED", result: { values: ["A", "B", "C"], maxActive: 1 } },
  },
  {
    name: "map stops at minSuccessful",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const result = await ctx.map("first-two", [10, 20, 30, 40], async (itemCtx, n) => itemCtx.step("take", async () => n), {
          maxConcurrency: 1,
          completionConfig: { minSuccessful: 2 },
        });
        return { values: result.getResults(), reason: result.completionReason, successCount: result.successCount };
      }),
    }),
    expected: { status: "SUCCEEDED", result: { values: [10, 20], reason: "MIN_SUCCESSFUL_REACHED", successCount: 2 } },
  },
  {
    name: "map tolerates one failure",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const result = await ctx.map("tolerant", [1, 2, 3], async (itemCtx, n) =>
          itemCtx.step("check", async () => {
            if (n === 2) throw new Error("two is bad");
            return n;
          }, { retryStrategy: retryPresets.noRetry }),
        { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } });
        return {
          values: result.getResults(),
          reason: result.completionReason,
          failures: result.failed().map((f) => ({ index: f.index, message: f.error.message, isChild: f.error instanceof ChildContextError })),
          hasFailure: result.hasFailure,
          status: result.status,
        };
      }),
    }),
    expected: {
      status: "SUCCEEDED",
      result: { values: [1, 3], reason: "ALL_COMPLETED", failures: [{ index: 1, message: "two is bad", isChild: true }], hasFailure: true, status: "FAILED" },
    },
  },
  {
    name: "map fails fast without completionConfig and throwIfError rethrows",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const result = await ctx.map("strict", [1, 2, 3], async (itemCtx, n) =>
          itemCtx.step("check", async () => {
            if (n === 1) throw new Error("first one fails");
            return n;
          }, { retryStrategy: retryPresets.noRetry }),
        { maxConcurrency: 1 });
        try {
          result.throwIfError();
          return "unreachable";
        } catch (e) {
          return { reason: result.completionReason, message: (e as Error).message, isChild: e instanceof ChildContextError, successCount: result.successCount };
        }
      }),
    }),
    expected: { status: "SUCCEEDED", result: { reason: "FAILURE_TOLERANCE_EXCEEDED", message: "first one fails", isChild: true, successCount: 0 } },
  },
  {
    name: "map itemNamer names the iterations",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const result = await ctx.map("orders", [{ id: "o-1" }, { id: "o-2" }], async (_itemCtx, order) => order.id.length, {
          itemNamer: (order) => `order-${order.id}`,
        });
        return result.getResults();
      }),
    }),
    expected: { status: "SUCCEEDED", result: [3, 3], operations: { "order-o-1": "SUCCEEDED", "order-o-2": "SUCCEEDED" } },
  },
  {
    name: "map whose result exceeds the payload limit is rebuilt on replay",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const items = Array.from({ length: 70 }, (_, i) => i);
        const mapped = await ctx.map("big-map", items, async (item: DurableContext, n: number) => item.step("chunk", async () => `${n}:`.padEnd(4000, "x")));
        // The wait suspends: the result below comes from a replay, which cannot read the
        // map's result from the journal (it was too large) and re-drives its items instead.
        await ctx.wait("after", { seconds: 1 });
        const results = mapped.getResults();
        return { count: results.length, bytes: results.join("").length, first: results[0]?.slice(0, 4), last: results[69]?.slice(0, 4) };
      }),
    }),
    expected: { status: "SUCCEEDED", result: { count: 70, bytes: 280_000, first: "0:xx", last: "69:x" }, operations: { "big-map": "SUCCEEDED" } },
  },
  {
    name: "child context whose result exceeds the payload limit is rebuilt on replay",
    setup: () => {
      let bodyRuns = 0;
      return {
        handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
          const big = await ctx.runInChildContext("big-child", async (child) => {
            const a = await child.step("a", async () => (bodyRuns++, "a".repeat(150_000)));
            const b = await child.step("b", async () => (bodyRuns++, "b".repeat(150_000)));
            return { a, b };
          });
          await ctx.wait("after", { seconds: 1 });
          return { length: big.a.length + big.b.length, bodyRuns: await ctx.step("runs", async () => bodyRuns) };
        }),
      };
    },
    expected: { status: "SUCCEEDED", result: { length: 300_000, bodyRuns: 2 }, operations: { "big-child": "SUCCEEDED" } },
  },
  {
    name: "parallel branches, named and unnamed",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const result = await ctx.parallel("fan-out", [
          async (branch: DurableContext) => branch.step("one", async () => 1),
          { name: "second", func: async (branch: DurableContext) => { await branch.wait({ seconds: 10 }); return 2; } },
          async () => 3,
        ]);
        return { values: result.getResults(), count: result.successCount };
      }),
    }),
    expected: { status: "SUCCEEDED", result: { values: [1, 2, 3], count: 3 }, operations: { "fan-out": "SUCCEEDED", second: "SUCCEEDED", one: "SUCCEEDED" } },
  },
  {
    name: "promise.all over steps",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        return ctx.promise.all("both", [ctx.step("x", async () => "x"), ctx.step("y", async () => "y")]);
      }),
    }),
    expected: { status: "SUCCEEDED", result: ["x", "y"], operations: { x: "SUCCEEDED", y: "SUCCEEDED" } },
  },
  {
    name: "promise.allSettled reports a failed step",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const settled = await ctx.promise.allSettled("settle", [
          ctx.step("ok", async () => 7),
          ctx.step("bad", async (): Promise<number> => {
            throw new Error("bad step");
          }, { retryStrategy: retryPresets.noRetry }),
        ]);
        return settled.map((s) => (s.status === "fulfilled" ? { ok: s.value } : { failed: (s.reason as Error).message }));
      }),
    }),
    expected: { status: "SUCCEEDED", result: [{ ok: 7 }, { failed: "bad step" }] },
  },
  {
    name: "promise.any takes the first success",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        return ctx.promise.any("first-ok", [
          ctx.step("fails", async (): Promise<string> => {
            throw new Error("no");
          }, { retryStrategy: retryPresets.noRetry }),
          ctx.step("works", async () => "yes"),
        ]);
      }),
    }),
    expected: { status: "SUCCEEDED", result: "yes" },
  },
  {
    name: "promise.race between a step and a long wait",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const slow = ctx.runInChildContext("slow", async (child) => {
          await child.wait({ hours: 1 });
          return "wait";
        });
        const winner = await ctx.promise.race("first", [ctx.step("fast", async () => "step"), slow]);
        return winner;
      }),
    }),
    expected: { status: "SUCCEEDED", result: "step", operations: { fast: "SUCCEEDED" } },
  },
  {
    name: "promise.all spanning a wait",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const results = await ctx.promise.all("both", [ctx.step("s", async (): Promise<string | void> => "S"), ctx.wait("w", { seconds: 10 })]);
        return results.map((r) => r ?? "W").join("");
      }),
    }),
    expected: { status: "SUCCEEDED", result: "SW", operations: { both: "SUCCEEDED", s: "SUCCEEDED", w: "SUCCEEDED" } },
  },
  {
    name: "promise.allSettled spanning a wait",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const settled = await ctx.promise.allSettled("settle-later", [
          ctx.wait("w", { seconds: 10 }),
          ctx.step("bad", async (): Promise<void> => {
            throw new Error("bad step");
          }, { retryStrategy: retryPresets.noRetry }),
        ]);
        return settled.map((s) => (s.status === "fulfilled" ? { ok: s.value ?? "W" } : { failed: (s.reason as Error).message, isError: s.reason instanceof Error }));
      }),
    }),
    expected: { status: "SUCCEEDED", result: [{ ok: "W" }, { failed: "bad step", isError: true }], operations: { "settle-later": "SUCCEEDED" } },
  },
  {
    name: "promise.any spanning a wait",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        return ctx.promise.any("any-later", [
          ctx.step("fails", async (): Promise<string> => {
            throw new Error("no");
          }, { retryStrategy: retryPresets.noRetry }),
          ctx.runInChildContext("later", async (child) => {
            await child.wait({ seconds: 30 });
            return "late";
          }),
        ]);
      }),
    }),
    expected: { status: "SUCCEEDED", result: "late", operations: { "any-later": "SUCCEEDED", later: "SUCCEEDED" } },
  },
  {
    name: "promise.race spanning a wait",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const winner = await ctx.promise.race("race-later", [
          ctx.runInChildContext("short", async (child) => {
            await child.wait({ seconds: 5 });
            return "short";
          }),
          ctx.runInChildContext("long", async (child) => {
            await child.wait({ seconds: 50 });
            return "long";
          }),
        ]);
        return winner;
      }),
    }),
    expected: { status: "SUCCEEDED", result: "short", operations: { "race-later": "SUCCEEDED", short: "SUCCEEDED" } },
  },
  {
    name: "promise.all rejection throws PromiseCombinatorError",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.promise.all("all-fails", [
            ctx.step("bad", async () => {
              throw new Error("boom");
            }, { retryStrategy: retryPresets.noRetry }),
            ctx.step("ok", async () => 1),
          ]);
          return "unreachable";
        } catch (e) {
          return { ...describeError(e), isCombinatorError: e instanceof PromiseCombinatorError, isStepError: e instanceof StepError };
        }
      }),
    }),
    expected: {
      status: "SUCCEEDED",
      result: { name: "PromiseCombinatorError", message: "boom", cause: "boom", isCombinatorError: true, isStepError: false },
      operations: { "all-fails": "FAILED" },
    },
  },
  {
    name: "promise.race rejection after a wait is PromiseCombinatorError on replay",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.promise.race("race-fails", [
            ctx.step("bad", async () => {
              throw new Error("boom");
            }, { retryStrategy: retryPresets.noRetry }),
            ctx.wait("w", { seconds: 10 }),
          ]);
          return "unreachable";
        } catch (e) {
          // The wait suspends the invocation: the result comes from the replay, which
          // rebuilds the combinator's error from its record.
          await ctx.wait("after", { seconds: 1 });
          return { ...describeError(e), isCombinatorError: e instanceof PromiseCombinatorError };
        }
      }),
    }),
    expected: { status: "SUCCEEDED", result: { name: "PromiseCombinatorError", message: "boom", cause: "boom", isCombinatorError: true }, operations: { "race-fails": "FAILED" } },
  },
  {
    name: "promise.any with every promise rejected after a wait",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.promise.any("none-ok", [
            ctx.step("no-1", async (): Promise<number> => {
              throw new Error("no 1");
            }, { retryStrategy: retryPresets.noRetry }),
            ctx.runInChildContext("no-2", async (child): Promise<number> => {
              await child.wait({ seconds: 5 });
              throw new Error("no 2");
            }),
          ]);
          return "unreachable";
        } catch (e) {
          return { ...describeError(e), isCombinatorError: e instanceof PromiseCombinatorError };
        }
      }),
    }),
    expected: {
      status: "SUCCEEDED",
      result: { name: "PromiseCombinatorError", message: "All promises were rejected", cause: "All promises were rejected", isCombinatorError: true },
      operations: { "none-ok": "FAILED" },
    },
  },
  {
    name: "waitForCondition polls until done",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        return ctx.waitForCondition("poll", async (state: number) => state + 1, {
          initialState: 0,
          waitStrategy: (state) => (state < 3 ? { shouldContinue: true, delay: { seconds: 5 } } : { shouldContinue: false }),
        });
      }),
    }),
    expected: { status: "SUCCEEDED", result: 3, operations: { poll: "SUCCEEDED" } },
  },
  {
    name: "waitForCondition with createWaitStrategy",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        return ctx.waitForCondition(async (state: { count: number }) => ({ count: state.count + 2 }), {
          initialState: { count: 0 },
          waitStrategy: createWaitStrategy({ shouldContinuePolling: (s: { count: number }) => s.count < 6, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }),
        });
      }),
    }),
    expected: { status: "SUCCEEDED", result: { count: 6 } },
  },
  {
    name: "step with a slow async serdes beside a suspended wait runs its body once",
    setup: () => {
      let bodyRuns = 0;
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      // An asynchronous serdes that takes real time, like one that offloads payloads to S3.
      const slowSerdes = {
        serialize: async (value: { big: string } | undefined) => {
          await sleep(20);
          return value === undefined ? undefined : JSON.stringify(value);
        },
        deserialize: async (data: string | undefined) => {
          await sleep(20);
          return data === undefined ? undefined : (JSON.parse(data) as { big: string });
        },
      };
      return {
        handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
          const [, uploaded] = await Promise.all([
            ctx.wait("w", { seconds: 5 }),
            ctx.step(
              "upload",
              async () => {
                bodyRuns++;
                return { big: "data" };
              },
              { serdes: slowSerdes },
            ),
          ]);
          return { uploaded, bodyRuns: await ctx.step("count", async () => bodyRuns) };
        }),
      };
    },
    expected: { status: "SUCCEEDED", result: { uploaded: { big: "data" }, bodyRuns: 1 }, operations: { upload: "SUCCEEDED", w: "SUCCEEDED" } },
  },
  {
    name: "waitForCondition check failure throws StepError",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.waitForCondition("broken-check", async (): Promise<number> => {
            throw new Error("check broke");
          }, { initialState: 0, waitStrategy: () => ({ shouldContinue: false }) });
          return "unreachable";
        } catch (e) {
          return { ...describeError(e), isStepError: e instanceof StepError };
        }
      }),
    }),
    expected: { status: "SUCCEEDED", result: { name: "StepError", message: "check broke", cause: "check broke", isStepError: true }, operations: { "broken-check": "FAILED" } },
  },
  {
    name: "waitForCondition check failure replays as StepError",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.waitForCondition("broken-later", async (state: number): Promise<number> => {
            throw new Error(`broke at ${state}`);
          }, { initialState: 0, waitStrategy: () => ({ shouldContinue: false }) });
          return "unreachable";
        } catch (e) {
          // The wait suspends: the result comes from the replay, which rebuilds the error from its record.
          await ctx.wait("after", { seconds: 1 });
          return { ...describeError(e), isStepError: e instanceof StepError };
        }
      }),
    }),
    expected: { status: "SUCCEEDED", result: { name: "StepError", message: "broke at 0", cause: "broke at 0", isStepError: true }, operations: { "broken-later": "FAILED" } },
  },
  {
    name: "concurrent steps are listed in the order they started",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const [slow, fast] = await Promise.all([
          ctx.step("slow", async () => {
            await new Promise((resolve) => setTimeout(resolve, 30));
            return 1;
          }),
          ctx.step("fast", async () => 2),
        ]);
        return slow + fast;
      }),
    }),
    expected: { status: "SUCCEEDED", result: 3, operationOrder: ["slow", "fast"] },
  },
  {
    name: "lambdaContext is a populated Lambda context",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        return ctx.step("read-context", async () => {
          const lambda = ctx.lambdaContext;
          return {
            requestId: typeof lambda.awsRequestId === "string" && lambda.awsRequestId.length > 0,
            functionName: typeof lambda.functionName === "string" && lambda.functionName.length > 0,
            arn: lambda.invokedFunctionArn.startsWith("arn:aws:lambda:"),
            memory: typeof lambda.memoryLimitInMB,
            remaining: lambda.getRemainingTimeInMillis() > 0,
          };
        });
      }),
    }),
    expected: { status: "SUCCEEDED", result: { requestId: true, functionName: true, arn: true, memory: "string", remaining: true } },
  },
  {
    name: "handler error fails the execution with its message",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        await ctx.step("ok", async () => 1);
        throw new Error("validation failed");
      }),
    }),
    expected: { status: "FAILED", errorMessage: "validation failed", operations: { ok: "SUCCEEDED" } },
  },
  {
    name: "logger and executionContext are available",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        ctx.configureLogger({ customLogger: { info() {}, warn() {}, error() {}, debug() {} } });
        ctx.logger.info("starting");
        const arn = ctx.executionContext.durableExecutionArn;
        await ctx.step("log-inside", async (stepCtx) => {
          stepCtx.logger.info("in step");
        });
        return typeof arn === "string" && arn.length > 0;
      }),
    }),
    expected: { status: "SUCCEEDED", result: true },
  },
  {
    name: "an operation inside step code fails the execution (context usage error)",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          return await ctx.step("outer", async () => {
            await ctx.wait({ seconds: 1 });
            return 1;
          });
        } catch {
          return "caught";
        }
      }),
    }),
    // The wording after the prefix is each runtime's own; the prefix, the status and the
    // step left STARTED are shared.
    expected: { status: "FAILED", errorMessageMatch: /^Context usage error in "wait": /, operations: { outer: "STARTED" }, operationOrder: ["outer"] },
  },
  {
    name: "the parent context inside runInChildContext fails the execution (context usage error)",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) =>
        ctx.runInChildContext("child", async () => ctx.step("on-parent", async () => 1)),
      ),
    }),
    expected: { status: "FAILED", errorMessageMatch: /^Context usage error in "step": .*parent or sibling context/, operations: { child: "STARTED" }, operationOrder: ["child"] },
  },
];
