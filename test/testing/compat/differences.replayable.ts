// The behaviour differences of issue 15, one scenario each, written against the AWS SDK's API
// and run on both runtimes (compat.aws.test.ts, compat.replayable.test.ts). differences.replayable.ts
// is this file with only the import changed (checked by compat-source.test.ts).
import { expect } from "vitest";
import {
  withDurableExecution,
  type DurableContext,
  type DurableLoggingContext,
  type DurableLogger,
} from "../../../runtime/index.js";
import { describeError, type Scenario } from "./scenario-types.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The classes along an error's cause chain. */
const chainOf = (error: unknown): string[] => {
  const names: string[] = [];
  for (let e = error as Error | undefined; e && names.length < 6; e = e.cause as Error | undefined) names.push(e.constructor.name);
  return names;
};

/** Lines written to stdout and stderr while body runs (the default logger writes there directly). */
async function captureOutput<T>(body: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const writes = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      lines.push(...String(chunk).split("\n").filter((l) => l.trim() !== ""));
      return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
    return () => (stream.write = original);
  });
  try {
    return { value: await body(), lines };
  } finally {
    for (const restore of writes) restore();
  }
}

export const scenarios: Scenario[] = [
  {
    name: "1: waitForData() on a waitForCallback resolves once its callback can be completed",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) =>
        ctx.waitForCallback("approval", async () => void (await sleep(20)), { timeout: { minutes: 5 } }),
      ),
      interact: async (runner) => {
        const op = await runner.getOperation("approval").waitForData();
        await op.sendCallbackSuccess("approved");
      },
    }),
    expected: { status: "SUCCEEDED", result: "approved", operations: { approval: "SUCCEEDED" } },
  },
  {
    name: "2: a callback's heartbeat timeout runs on real time, so the test can still complete it",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const [promise] = await ctx.createCallback("job", { timeout: { minutes: 10 }, heartbeatTimeout: { seconds: 2 } });
        return promise;
      }),
      interact: async (runner) => {
        const op = await runner.getOperation("job").waitForData();
        await sleep(600);
        expect(op.getStatus()).toBe("STARTED");
        await op.sendCallbackSuccess("finished");
      },
    }),
    expected: { status: "SUCCEEDED", result: "finished", operations: { job: "SUCCEEDED" } },
  },
  {
    name: "3: while a long step runs, another branch's retries go on in the same invocation (force checkpointing)",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const batch = await ctx.parallel("both", [
          async (branch) => branch.step("long", async () => (await sleep(1500), "long done")),
          async (branch) => {
            let attempts = 0; // captured: it survives only if the retries run in this invocation
            return branch.step("flaky", async () => {
              attempts++;
              if (attempts < 3) throw new Error(`attempt ${attempts} failed`);
              return `succeeded at attempt ${attempts}`;
            }, { retryStrategy: (_error, attempt) => (attempt >= 5 ? { shouldRetry: false } : { shouldRetry: true, delay: { seconds: 1 } }) });
          },
        ]);
        return { reason: batch.completionReason, results: batch.getResults() };
      }),
    }),
    expected: {
      status: "SUCCEEDED",
      result: { reason: "ALL_COMPLETED", results: ["long done", "succeeded at attempt 3"] },
      invocations: 1,
    },
  },
  {
    name: "4: an un-awaited wait does not keep the execution: it ends in one invocation, the wait STARTED",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        void ctx.wait("nap", { days: 1 });
        await sleep(50);
        return "result";
      }),
      // On real time, as AWS's wait-unawaited example runs (with time skipped, the official
      // runner ends the wait after the execution completed).
      drive: async (runner) => {
        const Runner = runner.constructor;
        await Runner.teardownTestEnvironment();
        await Runner.setupTestEnvironment({ skipTime: false });
        try {
          return await runner.run();
        } finally {
          await Runner.teardownTestEnvironment();
          await Runner.setupTestEnvironment({ skipTime: true });
        }
      },
    }),
    expected: { status: "SUCCEEDED", result: "result", operations: { nap: "STARTED" }, invocations: 1 },
  },
  {
    name: "5: the default logger writes JSON lines and drops levels below AWS_LAMBDA_LOG_LEVEL",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        ctx.logger.debug("hidden debug");
        ctx.logger.info("hidden info");
        ctx.logger.warn("shown warn", { n: 1 });
        await ctx.step("work", async (stepCtx) => {
          stepCtx.logger.error("step error");
        });
        return "logged";
      }),
      drive: async (runner) => {
        const before = process.env.AWS_LAMBDA_LOG_LEVEL;
        process.env.AWS_LAMBDA_LOG_LEVEL = "WARN";
        try {
          const { value, lines } = await captureOutput(() => runner.run());
          const logged = lines.filter((l) => l.startsWith("{") && /"(hidden|shown|step) /.test(l)).map((l) => JSON.parse(l));
          expect(logged.map((l) => [l.level, l.message])).toEqual([
            ["WARN", "shown warn { n: 1 }"],
            ["ERROR", "step error"],
          ]);
          for (const line of logged) {
            expect(typeof line.requestId).toBe("string");
            expect(typeof line.executionArn).toBe("string");
            expect(Number.isNaN(Date.parse(line.timestamp))).toBe(false);
          }
          expect(logged[0].operationId).toBeUndefined();
          expect(logged[1]).toMatchObject({ operationName: "work", attempt: 1 });
          expect(typeof logged[1].operationId).toBe("string");
          return value;
        } finally {
          if (before === undefined) delete process.env.AWS_LAMBDA_LOG_LEVEL;
          else process.env.AWS_LAMBDA_LOG_LEVEL = before;
        }
      },
    }),
    expected: { status: "SUCCEEDED", result: "logged" },
  },
  {
    name: "6: getDurableLogData() inside runInChildContext names the child context",
    setup: () => {
      const seen: Array<Record<string, unknown>> = [];
      let logging: DurableLoggingContext | undefined;
      const logger: DurableLogger = {
        configureDurableLoggingContext: (context) => (logging = context),
        info: () => seen.push({ ...logging!.getDurableLogData() }),
        warn: () => undefined,
        error: () => undefined,
        debug: () => undefined,
      };
      return {
        handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
          ctx.configureLogger({ customLogger: logger });
          ctx.logger.info("top");
          await ctx.runInChildContext("child", async (child) => {
            child.logger.info("inside");
          });
          return "done";
        }),
        check: () => {
          expect(seen).toHaveLength(2);
          expect(seen[0]!.operationId).toBeUndefined();
          expect(typeof seen[1]!.operationId).toBe("string");
          expect(seen[1]!.operationName).toBe("child");
        },
      };
    },
    expected: { status: "SUCCEEDED", result: "done" },
  },
  {
    name: "7: invoke without input sends {} to the function",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => ctx.invoke("echo")),
      functions: { echo: async (event: unknown) => ({ received: event === undefined ? "undefined" : event }) },
    }),
    expected: { status: "SUCCEEDED", result: { received: {} } },
  },
  {
    name: "8: a parent context used inside a child fails with the official wording",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) =>
        ctx.runInChildContext("child", async () => ctx.step("x", async () => 1)),
      ),
    }),
    expected: {
      status: "FAILED",
      errorMessageMatch:
        /^Context usage error in "step": You are using a parent or sibling context instead of the current child context\. Expected context ID: "[^"]+", but got: "[^"]*"\. When inside runInChildContext\(\), you must use the child context parameter, not the parent context\./,
    },
  },
  {
    name: "9: sendCallbackFailure() without an error leaves the error fields undefined",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const [promise] = await ctx.createCallback("cb");
        try {
          await promise;
          return "unreachable";
        } catch (e) {
          return { ...describeError(e), causeName: (e as { cause?: { name?: string } }).cause?.name };
        }
      }),
      interact: async (runner) => {
        const op = await runner.getOperation("cb").waitForData();
        await op.sendCallbackFailure(undefined);
      },
      check: (_result, runner) => {
        expect((runner.getOperation("cb").getCallbackDetails() as { error?: unknown }).error).toEqual({
          errorMessage: undefined,
          errorType: undefined,
          errorData: undefined,
          stackTrace: undefined,
        });
      },
    }),
    expected: { status: "SUCCEEDED", result: { name: "CallbackExternalError", message: "Callback failed", cause: "", causeName: "Error" }, operations: { cb: "FAILED" } },
  },
  {
    name: "10: reset() while a run is in flight leaves the runner ready for the next run, with no unhandled rejection",
    setup: () => ({
      handler: withDurableExecution(async (event: { block?: boolean }, ctx: DurableContext) => {
        if (event.block) await ctx.wait("long", { seconds: 5 });
        return ctx.step("answer", async () => (event.block ? "first" : "second"));
      }),
      drive: async (runner) => {
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown) => unhandled.push(reason);
        process.on("unhandledRejection", onUnhandled);
        try {
          const first = runner.run({ payload: { block: true } });
          await runner.getOperation("long").waitForData();
          runner.reset();
          const second = await runner.run({ payload: {} });
          await Promise.race([first.catch(() => undefined), sleep(6000)]);
          await sleep(20);
          expect(unhandled).toEqual([]);
          return second;
        } finally {
          process.off("unhandledRejection", onUnhandled);
        }
      },
    }),
    expected: { status: "SUCCEEDED", result: "second" },
  },
  {
    name: "11: a null input reaches the handler as null",
    setup: () => ({
      handler: withDurableExecution(async (event: unknown, ctx: DurableContext) => ctx.step("kind", async () => (event === null ? "null" : typeof event))),
      payload: null,
    }),
    expected: { status: "SUCCEEDED", result: "null" },
  },
  {
    name: "12: a failed map item's error keeps its cause chain (ChildContextError -> StepError -> StepError -> Error), live and after replay",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const batch = await ctx.map("items", [1], async (item, n) =>
          item.step("boom", async () => {
            throw new TypeError(`bad ${n}`);
          }, { retryStrategy: () => ({ shouldRetry: false }) }),
        );
        const live = await ctx.step("live-chain", async () => chainOf(batch.failed()[0]!.error));
        await ctx.wait("pause", { seconds: 1 });
        return { live, replayed: chainOf(batch.failed()[0]!.error), message: batch.failed()[0]!.error!.message };
      }),
    }),
    expected: {
      status: "SUCCEEDED",
      result: { live: ["ChildContextError", "StepError", "StepError", "Error"], replayed: ["ChildContextError", "StepError", "StepError", "Error"], message: "bad 1" },
    },
  },
  {
    name: "13: a step result that cannot be serialized ends the run naming the step, not in a replay-check error",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        await ctx.step("unstorable", async () => ({ big: BigInt(1) }) as unknown as string);
        return "unreachable";
      }),
      // The official runner rejects run() (the invocation throws, so Lambda would retry it);
      // replayable returns a FAILED result. Either way the error names the step.
      drive: async (runner) => {
        try {
          return await runner.run();
        } catch (error) {
          const errorMessage = (error as Error).message;
          return { getStatus: () => "FAILED", getError: () => ({ errorMessage }), getOperations: () => [], getInvocations: () => [] };
        }
      },
    }),
    expected: { status: "FAILED", errorMessageMatch: /"unstorable"/ },
  },
];
