// The behaviour differences of issue 15, one scenario each, written against the AWS SDK's API
// and run on both runtimes (compat.aws.test.ts, compat.replayable.test.ts). differences.replayable.ts
// is this file with only the import changed (checked by compat-source.test.ts).
import { expect } from "vitest";
import {
  withDurableExecution,
  type DurableContext,
  type DurableInstrumentationPlugin,
  type DurableLoggingContext,
  type DurableLogger,
  type OperationInfo,
} from "@aws/durable-execution-sdk-js";
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

/**
 * A plugin that writes one line per hook with what it was told. Operations are named by name
 * and their parent's name: the ids differ between the runtimes (hashes vs keyed ids).
 */
function recordingPlugin(lines: string[], changes: string[]): DurableInstrumentationPlugin {
  const names = new Map<string, string>();
  const who = (info: OperationInfo) => {
    if (info.name !== undefined) names.set(info.id, info.name);
    return `${info.type} ${info.name ?? info.subType}${info.parentId === undefined ? "" : ` in ${names.get(info.parentId) ?? info.parentId}`}`;
  };
  const error = (e: Error | undefined) => (e ? ` error=${e.message}` : "");
  return {
    async onInvocationStart(info) {
      const updated = Object.values(info.updatedOperations).map((op) => `${op.name}:${op.status}`);
      lines.push(`invocation-start first=${info.isFirstInvocation} updated=[${updated.join(",")}] input=${JSON.stringify(info.executionInput)}`);
    },
    async wrapInvocation(_info, fn) {
      const output = await fn();
      lines.push(`wrap-invocation ${output.Status}`);
      return output;
    },
    async onInvocationEnd(info) {
      lines.push(`invocation-end ${info.status} result=${JSON.stringify(info.executionResult)}${error(info.executionError)}`);
    },
    async onOperationStart(info) {
      lines.push(`start ${who(info)} replay=${info.isReplay}`);
    },
    async onOperationEnd(info) {
      lines.push(`end ${who(info)} ${info.status} replay=${info.isReplay}${error(info.error)}`);
    },
    async onOperationAttemptStart(info) {
      lines.push(`attempt-start ${who(info)} #${info.attempt}`);
    },
    wrapOperationAttemptFn(info, fn) {
      lines.push(`wrap-attempt ${who(info)}`);
      return fn();
    },
    async onOperationAttemptEnd(info) {
      lines.push(`attempt-end ${who(info)} #${info.attempt} ${info.outcome}${error(info.error)}`);
    },
    wrapChildContextFn(info, fn) {
      lines.push(`wrap-child ${who(info)}`);
      return fn();
    },
    async onOperationChange(info) {
      for (const [id, op] of Object.entries(info.updatedOperations)) changes.push(`${op.name}:${op.status}:${id in info.operations}`);
    },
  };
}

/** A plugin whose every hook throws: the runtime must swallow it and still call the next plugin. */
const faultyPlugin: DurableInstrumentationPlugin = new Proxy(
  {},
  {
    get: (_target, hook) => (typeof hook === "string" && /^(on|wrap)/.test(hook) ? () => { throw new Error(`faulty ${hook}`); } : undefined),
  },
);

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
  {
    name: "14: instrumentation plugins are called where the official SDK calls them, a faulty one isolated",
    setup: () => {
      const lines: string[] = [];
      const changes: string[] = [];
      return {
        handler: withDurableExecution(
          async (event: { name: string }, ctx: DurableContext) => {
            const greeting = await ctx.step("greet", async () => `hello ${event.name}`);
            const inner = await ctx.runInChildContext("child", async (child) => child.step("inner", async () => 2));
            const attempts = await ctx.step(
              "flaky",
              async (step) => {
                if (step.attempt === 1) throw new Error("first attempt fails");
                return step.attempt;
              },
              { retryStrategy: (_error, attempt) => ({ shouldRetry: attempt < 2, delay: { seconds: 1 } }) },
            );
            return { greeting, inner, attempts };
          },
          { plugins: [faultyPlugin, recordingPlugin(lines, changes)] },
        ),
        payload: { name: "ada" },
        check: (result: { getInvocations(): unknown[] }) => {
          // Whether the retry runs in a second invocation or (the SDK polling, time skipped) in the
          // first, the operations report the same; each invocation is reported start to end. No
          // operation is reported updated: the test runners leave that out (Lambda and the engine do not).
          const invocations = result.getInvocations().length;
          const input = '{"name":"ada"}';
          const output = '{"greeting":"hello ada","inner":2,"attempts":2}';
          expect(lines.filter((line) => /^(invocation-|wrap-invocation)/.test(line))).toEqual(
            Array.from({ length: invocations }, (_, i) => {
              const last = i === invocations - 1;
              return [
                `invocation-start first=${i === 0} updated=[] input=${input}`,
                last ? `invocation-end SUCCEEDED result=${output}` : "invocation-end PENDING result=undefined",
                `wrap-invocation ${last ? "SUCCEEDED" : "PENDING"}`,
              ];
            }).flat(),
          );
          expect(lines.filter((line) => !/^(invocation-|wrap-invocation)/.test(line))).toEqual([
            "start STEP greet replay=false",
            "attempt-start STEP greet #1",
            "wrap-attempt STEP greet",
            "attempt-end STEP greet #1 SUCCEEDED",
            "end STEP greet SUCCEEDED replay=false",
            "start CONTEXT child replay=false",
            "wrap-child CONTEXT child",
            "start STEP inner in child replay=false",
            "attempt-start STEP inner in child #1",
            "wrap-attempt STEP inner in child",
            "attempt-end STEP inner in child #1 SUCCEEDED",
            "end STEP inner in child SUCCEEDED replay=false",
            "end CONTEXT child SUCCEEDED replay=false",
            "start STEP flaky replay=false",
            "attempt-start STEP flaky #1",
            "wrap-attempt STEP flaky",
            "attempt-end STEP flaky #1 FAILED error=first attempt fails",
            // A retry reports a replayed start; completed steps report nothing on replay.
            "start STEP flaky replay=true",
            "attempt-start STEP flaky #2",
            "wrap-attempt STEP flaky",
            "attempt-end STEP flaky #2 SUCCEEDED",
            "end STEP flaky SUCCEEDED replay=false",
          ]);
          // The change hook reports each operation's terminal state, in the full map too.
          for (const name of ["greet", "inner", "child", "flaky"]) expect(changes).toContain(`${name}:SUCCEEDED:true`);
        },
      };
    },
    expected: { status: "SUCCEEDED", result: { greeting: "hello ada", inner: 2, attempts: 2 } },
  },
  {
    name: "API: DurableOperation.getEvents() returns the operation's own history events",
    setup: () => ({
      handler: withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const charged = await ctx.step(
          "charge",
          async (step) => {
            if (step.attempt === 1) throw new Error("card declined");
            return "charged";
          },
          { retryStrategy: (_error, attempt) => ({ shouldRetry: attempt < 2, delay: { seconds: 1 } }) },
        );
        await ctx.wait("pause", { seconds: 3 });
        return charged;
      }),
      check: (result: { getHistoryEvents(): Array<{ EventId?: number; Id?: string }> }, runner: { getOperation(name: string): any }) => {
        type Event = Record<string, any>;
        const describe = (e: Event) => {
          const details = e.StepFailedDetails ?? e.StepSucceededDetails ?? e.WaitStartedDetails ?? e.WaitSucceededDetails ?? {};
          const parts = [e.EventType, e.SubType, e.Name];
          // A retried step's StepSucceeded attempt is left out: the official testing library
          // reports 1 where the service (and replayable, conformance 10-3) reports 2.
          if (e.StepFailedDetails?.RetryDetails) parts.push(`attempt=${details.RetryDetails.CurrentAttempt}`);
          if (details.Error) parts.push(`error=${details.Error.Payload?.ErrorMessage}`);
          if (details.Result) parts.push(`result=${details.Result.Payload}`);
          if (details.Duration !== undefined) parts.push(`duration=${details.Duration}`);
          return parts.join(" ");
        };
        const charge = runner.getOperation("charge");
        const pause = runner.getOperation("pause");
        expect(charge.getEvents().map(describe)).toEqual([
          "StepStarted Step charge",
          "StepFailed Step charge attempt=1 error=card declined",
          "StepStarted Step charge",
          'StepSucceeded Step charge result="charged"',
        ]);
        expect(pause.getEvents().map(describe)).toEqual(["WaitStarted Wait pause duration=3", "WaitSucceeded Wait pause duration=3"]);
        // They are the execution history's events with the operation's id, the same objects' content.
        for (const op of [charge, pause]) {
          expect(op.getEvents()).toEqual(result.getHistoryEvents().filter((e) => e.Id === op.getId()));
        }
      },
    }),
    expected: { status: "SUCCEEDED", result: "charged" },
  },
];
