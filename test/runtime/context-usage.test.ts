import { describe, expect, it } from "vitest";
import { withDurableExecution, type DurableContext } from "../../runtime/index.js";
import { LocalDurableTestRunner } from "../../testing/index.js";
import { invokeOnce, newExecution } from "./harness.js";

// As the AWS SDK's validateContextUsage: an operation called inside step code, or on an outer
// context inside a child context, ends the execution FAILED with a plain Error
// "Context usage error in "<operation>": ..." that the handler cannot catch. Before this,
// an operation inside step code suspended a body the invocation was waiting on, and the
// runner never returned.

/** Fails the test instead of hanging it when an execution never ends. */
async function runWithin<T>(run: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the execution did not end within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(body: (ctx: DurableContext) => Promise<unknown>) {
  const runner = new LocalDurableTestRunner({ handlerFunction: withDurableExecution(async (_event: unknown, ctx: DurableContext) => body(ctx)) });
  const result = await runWithin(runner.run());
  return { result, runner };
}

/** The official SDK's wording, which replayable's message starts with (AWS's example tests match on it). */
const officialWording = (operation: string, expectedId: string, gotId: string | undefined) =>
  `Context usage error in "${operation}": You are using a parent or sibling context instead of the current child context. ` +
  `Expected context ID: "${expectedId}", but got: "${gotId}". When inside runInChildContext(), you must use the child context parameter, not the parent context.`;

const insideStepCode = (operation: string, code: string, stepId: string, contextId?: string) =>
  `${officialWording(operation, stepId, contextId)} Durable operations cannot run inside step code, and this one was called while ${code} was running: ` +
  `move the operation out of the step into orchestration code, or use runInChildContext to group several operations.`;

describe("context usage inside step code fails the execution instead of hanging", () => {
  it("ctx.wait inside a step fails FAILED, naming the wait and the step", async () => {
    const { result, runner } = await run((ctx) =>
      ctx.step("outer", async () => {
        await ctx.wait({ seconds: 1 });
        return 1;
      }),
    );
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError()).toMatchObject({ errorType: "Error", errorMessage: insideStepCode("wait", 'step "outer"', "outer#0") });
    // As on AWS: the step was started and never finished; the wait was never recorded.
    expect(runner.getOperation("outer").getStatus()).toBe("STARTED");
    expect(result.getOperations().map((op) => op.getName())).toEqual(["outer"]);
  });

  it("ctx.step inside a step fails, and neither the step body nor the handler can catch it", async () => {
    const { result } = await run(async (ctx) => {
      try {
        return await ctx.step("outer", async () => {
          try {
            return await ctx.step("inner", async () => 2);
          } catch {
            return "caught in the step";
          }
        });
      } catch {
        return "caught in the handler";
      }
    });
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toBe(insideStepCode("step", 'step "outer"', "outer#0"));
  });

  it("an unnamed step is named by its id", async () => {
    const { result } = await run((ctx) => ctx.step(async () => ctx.wait({ seconds: 1 })));
    expect(result.getError().errorMessage).toBe(insideStepCode("wait", "an unnamed step (id Step#0)", "Step#0"));
  });

  it("an operation inside a waitForCondition check fails", async () => {
    const { result } = await run((ctx) =>
      ctx.waitForCondition(
        "cond",
        async (state: number) => {
          await ctx.step("probe", async () => 1);
          return state + 1;
        },
        { initialState: 0, waitStrategy: (s: number) => (s > 1 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }) },
      ),
    );
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toBe(insideStepCode("step", 'the check of waitForCondition "cond"', "cond#0"));
  });

  it("an operation inside a waitForCallback submitter fails", async () => {
    const { result } = await run((ctx) =>
      ctx.waitForCallback("cb", async () => {
        await ctx.wait({ seconds: 1 });
      }),
    );
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toBe(insideStepCode("wait", 'the submitter of waitForCallback "cb"', "cb#0/Step#0"));
  });

  it("the child context's own methods inside a step in that child fail too", async () => {
    const { result } = await run((ctx) => ctx.runInChildContext("child", async (child) => child.step("s", async () => child.runInChildContext("nested", async () => 1))));
    expect(result.getError().errorMessage).toBe(insideStepCode("runInChildContext", 'step "s"', "child#0/s#0", "child#0"));
  });

  it("runInvocation reports it as a FAILED outcome with ErrorType Error, marked contextUsage", async () => {
    const outcome = await invokeOnce(async (_event, ctx) => ctx.step("outer", async () => ctx.wait({ seconds: 1 })), newExecution());
    expect(outcome).toMatchObject({ status: "FAILED", nonDeterministic: false, contextUsage: true, error: { ErrorType: "Error", ErrorMessage: insideStepCode("wait", 'step "outer"', "outer#0") } });
  });
});

describe("an outer context used inside a child context fails the execution", () => {
  it("the parent context inside runInChildContext", async () => {
    const { result } = await run((ctx) => ctx.runInChildContext("child", async () => ctx.step("x", async () => 1)));
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toBe(
      `${officialWording("step", "child#0", undefined)} It was called on a parent or sibling context inside runInChildContext "child" (id child#0): ` +
        "inside runInChildContext(), map() or parallel(), use the context passed to the function, not an outer one.",
    );
  });

  it("the parent context inside a map item", async () => {
    const { result } = await run((ctx) => ctx.map("items", [1, 2], async (_child, item) => ctx.step(`double-${item}`, async () => item * 2)));
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toBe(
      `${officialWording("step", "items#0/map-item-0#0", undefined)} It was called on a parent or sibling context inside the map item "map-item-0" (id items#0/map-item-0#0): ` +
        "inside runInChildContext(), map() or parallel(), use the context passed to the function, not an outer one.",
    );
  });
});

describe("correct context usage is not reported", () => {
  it("operations around steps, in child contexts, map items and parallel branches, and chained off step promises", async () => {
    const { result } = await run(async (ctx) => {
      const first = await ctx.step("first", async () => 1);
      const [second] = await Promise.all([ctx.step("second", async () => first + 1), ctx.wait("pause", { seconds: 1 })]);
      const chained = await ctx.step("third", async () => second + 1).then((third) => ctx.step("fourth", async () => third + 1));
      const child = await ctx.runInChildContext("child", async (c) => {
        const inner = await c.step("inner", async () => chained + 1);
        await c.wait({ seconds: 1 });
        return c.runInChildContext("grandchild", async (g) => g.step("deep", async () => inner + 1));
      });
      const mapped = await ctx.map("items", [1, 2], async (c, item) => c.step(`double-${item}`, async () => item * 2));
      const branches = await ctx.parallel("branches", [async (c) => c.step("left", async () => "l"), async (c) => c.wait({ seconds: 1 }).then(() => "r")]);
      const polled = await ctx.waitForCondition("poll", async (s: number) => s + 1, {
        initialState: 0,
        waitStrategy: (s: number) => (s >= 2 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
      });
      return { child, mapped: mapped.getResults(), branches: branches.getResults(), polled, after: await ctx.step("last", async () => "done") };
    });
    expect(result.getStatus() === "FAILED" ? result.getError().errorMessage : result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ child: 6, mapped: [2, 4], branches: ["l", "r"], polled: 2, after: "done" });
  });
});
