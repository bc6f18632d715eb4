import { describe, expect, it } from "vitest";
import { withDurableExecution, type DurableContext } from "../../runtime/index.js";
import { LocalDurableTestRunner } from "../../testing/index.js";
import { invokeOnce, newExecution } from "./harness.js";

const failureOf = async (value: () => unknown) => {
  const outcome = await invokeOnce(async (_e, ctx: DurableContext) => {
    try {
      await ctx.step("produce", async () => value());
    } catch {
      return "caught"; // a serialization failure must not be catchable as a step error
    }
    return "returned";
  }, newExecution());
  expect(outcome.status).toBe("FAILED");
  return outcome.status === "FAILED" ? outcome.error : undefined;
};

describe("results are serialized at checkpoint time", () => {
  it.each([
    ["a function", () => ({ callback: () => 1 }), "value.callback is a function"],
    ["a symbol", () => [Symbol("s")], "value[0] is a symbol"],
    ["a BigInt", () => ({ amount: 10n }), "value.amount is a BigInt"],
    ["a Map", () => new Map([["a", 1]]), "value is a Map"],
    [
      "a cycle",
      () => {
        const node: { self?: unknown } = {};
        node.self = node;
        return node;
      },
      "value.self is a cycle",
    ],
  ])("rejects %s at the step that produced it", async (_label, value, reason) => {
    const error = await failureOf(value);
    expect(error?.ErrorType).toBe("SerdesFailedError");
    expect(error?.ErrorMessage).toContain('Step "produce" (id produce#0)');
    expect(error?.ErrorMessage).toContain(reason);
  });

  it("returns the deserialized copy on the first run, exactly as a replay would", async () => {
    const outcome = await invokeOnce(async (_e, ctx: DurableContext) => {
      const at = await ctx.step("when", async () => ({ date: new Date(0), keep: 1, drop: undefined }));
      return { type: typeof at.date, keys: Object.keys(at) };
    }, newExecution());
    expect(outcome).toMatchObject({ status: "SUCCEEDED", result: JSON.stringify({ type: "string", keys: ["date", "keep"] }) });
  });

  it("enforces a configurable payload limit on step results, naming the operation", async () => {
    const outcome = await invokeOnce(
      async (_e, ctx: DurableContext) => ctx.step("report", async () => "x".repeat(2_000)),
      newExecution(),
      0,
      { maxPayloadBytes: 1_000 },
    );
    expect(outcome.status).toBe("FAILED");
    if (outcome.status !== "FAILED") return;
    expect(outcome.error.ErrorMessage).toContain('Step "report" (id report#0)');
    expect(outcome.error.ErrorMessage).toContain("2002 bytes, over the 1000-byte payload limit");
  });

  it("a child context result over the limit is not stored: replays re-run the body against its children (ReplayChildren)", async () => {
    let bodyRuns = 0;
    let stepRuns = 0;
    const handler = async (_e: unknown, ctx: DurableContext) => {
      const report = await ctx.runInChildContext("report", async (child) => {
        bodyRuns++;
        const part = await child.step("part", async () => (stepRuns++, "x".repeat(600)));
        return part + part;
      });
      await ctx.wait("later", { seconds: 1 });
      return report.length;
    };
    const store = newExecution();
    expect((await invokeOnce(handler, store, 0, { maxPayloadBytes: 1_000 })).status).toBe("PENDING");
    expect(store.get("report#0")).toMatchObject({ Status: "SUCCEEDED", ContextDetails: { Result: "", ReplayChildren: true } });
    const resumed = await invokeOnce(handler, store, 1_000, { maxPayloadBytes: 1_000 });
    expect(resumed).toMatchObject({ status: "SUCCEEDED", result: "1200", unconsumed: [] });
    expect({ bodyRuns, stepRuns }).toEqual({ bodyRuns: 2, stepRuns: 1 });
  });

  it("a large map that completed early replays the same items: those it left running stay STARTED", async () => {
    const handler = withDurableExecution(
      async (_e: unknown, ctx: DurableContext) => {
        const result = await ctx.map(
          "fetch",
          [0, 1, 2, 3],
          async (item: DurableContext, n: number) => {
            if (n % 2 === 1) await item.wait({ seconds: 100 }); // still running when the map completes
            return item.step("get", async () => `${n}`.padEnd(400, "x"));
          },
          { completionConfig: { minSuccessful: 2 }, summaryGenerator: (r) => `${r.successCount} ok` },
        );
        await ctx.wait("later", { seconds: 1 });
        return { reason: result.completionReason, statuses: result.all.map((i) => i.status), firsts: result.getResults().map((r) => r[0]) };
      },
      { maxPayloadBytes: 600 },
    );
    const runner = new LocalDurableTestRunner({ handlerFunction: handler });
    const result = await runner.run();
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ reason: "MIN_SUCCESSFUL_REACHED", statuses: ["SUCCEEDED", "STARTED", "SUCCEEDED", "STARTED"], firsts: ["0", "2"] });
    const summary = runner.getOperation("fetch").getContextDetails()?.result as Record<string, unknown>;
    expect(summary).toMatchObject({ type: "MapResult", successCount: 2, itemStatuses: "S-S-", completionReason: "MIN_SUCCESSFUL_REACHED", summary: "2 ok" });
  });

  it("uses a per-operation serdes", async () => {
    const outcome = await invokeOnce(async (_e, ctx: DurableContext) => {
      const big = await ctx.step("big", async () => 2n ** 70n, {
        serdes: { serialize: async (v) => v?.toString(), deserialize: async (s) => (s === undefined ? undefined : BigInt(s)) },
      });
      return (big / 2n ** 69n).toString();
    }, newExecution());
    expect(outcome).toMatchObject({ status: "SUCCEEDED", result: '"2"' });
  });
});
