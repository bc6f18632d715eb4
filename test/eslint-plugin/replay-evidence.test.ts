/**
 * The runtime behaviour the rules' choices rest on, checked on both runtimes: the official SDK
 * run by AWS's LocalDurableTestRunner, and replayable run by its own (replay check off, so each
 * handler line runs once per invocation as on Lambda). Each handler is written once against the
 * shared API and wrapped by each runtime's withDurableExecution.
 *
 * - no-swallowed-suspension is in `strict` only: nothing is thrown on suspension, and a recorded
 *   failure replays into the same catch, so a catch without rethrow takes the same path on
 *   every replay.
 * - no-native-promise-combinator does not report Promise.all over waits only: waits cannot fail
 *   and give the same value on replay.
 * - replay-aware-logging does not report logging right before a terminal throw: it runs once.
 * - no-captured-mutation-in-step reports writes from child context bodies to the handler's
 *   variables: a finished child is not run again on replay, so its writes are lost.
 */
import { withDurableExecution as awsWithDurableExecution } from "@aws/durable-execution-sdk-js";
import { LocalDurableTestRunner as AwsRunner } from "@aws/durable-execution-sdk-js-testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withDurableExecution as replayableWithDurableExecution } from "../../runtime/index.js";
import { LocalDurableTestRunner as ReplayableRunner } from "../../testing/index.js";

/** The part of DurableContext these handlers use, the same on both runtimes. */
interface Context {
  step<T>(name: string, fn: () => Promise<T>, config?: { retryStrategy?: () => { shouldRetry: boolean } }): Promise<T>;
  wait(name: string, duration: { seconds: number }): Promise<void>;
  runInChildContext<T>(name: string, fn: () => Promise<T>): Promise<T>;
}
type Handler = (event: unknown, context: Context) => Promise<unknown>;

interface Outcome {
  readonly status: string | undefined;
  readonly result: unknown;
  readonly invocations: number;
}

const runtimes: Record<string, (handler: Handler) => Promise<Outcome>> = {
  "AWS SDK": async (handler) => {
    const runner = new AwsRunner({ handlerFunction: awsWithDurableExecution(handler as never) });
    const result = await runner.run();
    const status = result.getStatus();
    // AWS's getResult() throws the error of a failed execution.
    return { status, result: status === "SUCCEEDED" ? result.getResult() : undefined, invocations: result.getInvocations().length };
  },
  replayable: async (handler) => {
    const runner = new ReplayableRunner({ handlerFunction: replayableWithDurableExecution(handler as never), replayCheck: false });
    const result = await runner.run();
    return { status: result.getStatus(), result: result.getResult(), invocations: result.getInvocations().length };
  },
};

const noRetry = { retryStrategy: () => ({ shouldRetry: false }) };

describe.each(Object.keys(runtimes))("replay behaviour on %s", (runtime) => {
  const run = runtimes[runtime]!;
  // A fresh environment per test: in one shared environment, AWS's runner ran the later
  // handlers in a single invocation (the wait did not suspend them), which would prove nothing.
  if (runtime === "AWS SDK") {
    beforeEach(() => AwsRunner.setupTestEnvironment({ skipTime: true }));
    afterEach(() => AwsRunner.teardownTestEnvironment());
  }

  it("throws nothing into a catch when the handler suspends at a wait", async () => {
    const caught: unknown[] = [];
    const outcome = await run(async (_event, context) => {
      try {
        await context.wait("cool-off", { seconds: 5 });
      } catch (error) {
        caught.push(error);
        return "caught";
      }
      return "waited";
    });
    expect(outcome.invocations).toBeGreaterThan(1); // it really suspended
    expect(outcome).toMatchObject({ status: "SUCCEEDED", result: "waited" });
    expect(caught).toEqual([]);
  });

  it("replays a recorded failure into the same catch on every invocation, taking the same path", async () => {
    const paths: string[] = [];
    const outcome = await run(async (_event, context) => {
      let path: string;
      try {
        await context.step("charge", async () => {
          throw new Error("card declined");
        }, noRetry);
        path = "charged";
      } catch (error) {
        path = `declined: ${(error as Error).message}`;
      }
      paths.push(path);
      await context.wait("cool-off", { seconds: 5 });
      return path;
    });
    expect(outcome).toMatchObject({ status: "SUCCEEDED", result: "declined: card declined" });
    expect(paths.length).toBe(outcome.invocations);
    expect(paths.length).toBeGreaterThan(1);
    expect(new Set(paths)).toEqual(new Set(["declined: card declined"]));
  });

  it("gives Promise.all over waits the same value in every invocation", async () => {
    const values: string[] = [];
    const outcome = await run(async (_event, context) => {
      const settled = await Promise.all([
        context.wait("one", { seconds: 1 }),
        context.wait("five", { seconds: 5 }),
        context.wait("ten", { seconds: 10 }),
      ]);
      values.push(JSON.stringify(settled));
      // Suspends once more, so the combination is replayed over recorded waits.
      await context.wait("again", { seconds: 5 });
      return settled.length;
    });
    expect(outcome).toMatchObject({ status: "SUCCEEDED", result: 3 });
    expect(values.length).toBeGreaterThan(1);
    expect(new Set(values)).toEqual(new Set([JSON.stringify([null, null, null])]));
  });

  it("runs logging right before a terminal throw once, although the handler was replayed", async () => {
    const logged: string[] = [];
    const outcome = await run(async (_event, context) => {
      const found = await context.step("lookup", async () => false);
      await context.wait("poll", { seconds: 5 });
      if (!found) {
        logged.push("Failing - item not found");
        throw new Error("Item not found");
      }
      return found;
    });
    expect(outcome.status).toBe("FAILED");
    expect(outcome.invocations).toBeGreaterThan(1);
    expect(logged).toEqual(["Failing - item not found"]);
  });

  it("loses a child context's write to the handler's variable once the handler replays", async () => {
    const outcome = await run(async (_event, context) => {
      let a = 0;
      await context.runInChildContext("set", async () => {
        a = 1;
      });
      await context.wait("later", { seconds: 5 });
      return a;
    });
    expect(outcome.status).toBe("SUCCEEDED");
    expect(outcome.invocations).toBeGreaterThan(1);
    expect(outcome.result).toBe(0);
  });
});
