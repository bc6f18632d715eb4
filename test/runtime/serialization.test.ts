import { describe, expect, it } from "vitest";
import type { DurableContext } from "../../runtime/index.js";
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

  it("enforces a configurable payload limit, naming the operation", async () => {
    const outcome = await invokeOnce(
      async (_e, ctx: DurableContext) => ctx.runInChildContext("report", async () => "x".repeat(2_000)),
      newExecution(),
      0,
      { maxPayloadBytes: 1_000 },
    );
    expect(outcome.status).toBe("FAILED");
    if (outcome.status !== "FAILED") return;
    expect(outcome.error.ErrorMessage).toContain('RunInChildContext "report" (id report#0)');
    expect(outcome.error.ErrorMessage).toContain("2002 bytes, over the 1000-byte payload limit");
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
