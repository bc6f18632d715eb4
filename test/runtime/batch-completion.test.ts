// map and parallel as the AWS SDK 2.4.0 runs them: items start in index order; none starts
// once the failure tolerance is broken; the result holds only the items that started;
// NestingType.FLAT items have no context record of their own; an invalid configuration ends
// the execution before the batch starts. (AWS conformance requirements 8-6, 8-8, 8-12, 8-13,
// 8-18, 8-19, 9-7, 9-9, 9-12.)
import { describe, expect, it } from "vitest";
import { NestingType, withDurableExecution, type BatchResult, type DurableContext } from "../../runtime/index.js";
import { LocalDurableTestRunner } from "../../testing/index.js";

const projection = (r: BatchResult<unknown>) => ({
  completionReason: r.completionReason,
  status: r.status,
  successCount: r.successCount,
  failureCount: r.failureCount,
  startedCount: r.startedCount,
  totalCount: r.totalCount,
  indexes: r.all.map((i) => i.index),
});

async function run<T>(body: (ctx: DurableContext) => Promise<T>) {
  const ran: string[] = [];
  const runner = new LocalDurableTestRunner({ handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => body(ctx)) });
  const result = await runner.run();
  const records = result.getOperations().map((op) => ({ id: op.getId(), parentId: op.getParentId(), name: op.getName(), type: op.getType(), subType: op.getSubType() }));
  return { result, records, ran };
}

describe("a batch that completes early counts only the items it started", () => {
  it("map, min-successful 2 of 4 one at a time: items 2 and 3 never start and are not in the result", async () => {
    const ran: number[] = [];
    const { result, records } = await run(async (ctx) =>
      projection(
        await ctx.map("min-successful", [0, 1, 2, 3], async (item, n: number) => item.step("work", async () => (ran.push(n), `r${n}`)), {
          maxConcurrency: 1,
          completionConfig: { minSuccessful: 2 },
        }),
      ),
    );
    expect(result.getResult()).toEqual({ completionReason: "MIN_SUCCESSFUL_REACHED", status: "SUCCEEDED", successCount: 2, failureCount: 0, startedCount: 0, totalCount: 2, indexes: [0, 1] });
    expect(ran).toEqual([0, 1]);
    expect(records.filter((r) => r.subType === "MapIteration").map((r) => r.name)).toEqual(["map-item-0", "map-item-1"]);
  });

  it("parallel, fail-fast (tolerated 0) one at a time: the branch after the failure never starts", async () => {
    const { result, records } = await run(async (ctx) =>
      projection(
        await ctx.parallel(
          "failfast",
          [
            async () => "ok",
            async () => {
              throw new Error("branch 1 failed");
            },
            async () => "never",
          ],
          { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
        ),
      ),
    );
    expect(result.getResult()).toEqual({ completionReason: "FAILURE_TOLERANCE_EXCEEDED", status: "FAILED", successCount: 1, failureCount: 1, startedCount: 0, totalCount: 2, indexes: [0, 1] });
    expect(records.filter((r) => r.subType === "ParallelBranch")).toHaveLength(2);
  });

  it("with no completion config any failure stops new items (fail-fast)", async () => {
    const { result } = await run(async (ctx) =>
      projection(
        await ctx.map(
          [0, 1, 2],
          async (_item, n: number) => {
            if (n === 0) throw new Error("first fails");
            return n;
          },
          { maxConcurrency: 1 },
        ),
      ),
    );
    expect(result.getResult()).toMatchObject({ completionReason: "FAILURE_TOLERANCE_EXCEEDED", totalCount: 1, indexes: [0] });
  });

  it("an item still running when the batch completes stays in the result as STARTED", async () => {
    const { result } = await run(async (ctx) =>
      projection(
        await ctx.map(
          [0, 1, 2],
          async (item, n: number) => {
            if (n === 1) await item.wait({ seconds: 60 });
            return n;
          },
          { maxConcurrency: 2, completionConfig: { minSuccessful: 2 } },
        ),
      ),
    );
    // 0 and 1 start; 0 finishes, 2 starts and finishes: two successes while 1 still waits.
    expect(result.getResult()).toEqual({ completionReason: "MIN_SUCCESSFUL_REACHED", status: "SUCCEEDED", successCount: 2, failureCount: 0, startedCount: 1, totalCount: 3, indexes: [0, 1, 2] });
  });

  it("a custom predicate that is complete before anything ran starts no item", async () => {
    const { result, records } = await run(async (ctx) =>
      projection(await ctx.map([0, 1], async (_item, n: number) => n, { completionConfig: { shouldComplete: () => ({ complete: true }) } })),
    );
    expect(result.getResult()).toMatchObject({ completionReason: "CUSTOM_COMPLETION_SUCCEEDED", totalCount: 0, indexes: [] });
    expect(records.filter((r) => r.subType === "MapIteration")).toEqual([]);
  });

  it("the predicate sees items not started yet without a status", async () => {
    const seen: Array<Array<string | undefined>> = [];
    await run(async (ctx) =>
      ctx.map([0, 1, 2], async (_item, n: number) => n, {
        maxConcurrency: 1,
        completionConfig: {
          shouldComplete: (s) => {
            seen.push(s.items.map((i) => i.status));
            return { complete: false };
          },
        },
      }),
    );
    expect(seen[0]).toEqual([undefined, undefined, undefined]);
    expect(seen).toContainEqual(["SUCCEEDED", undefined, undefined]);
  });
});

describe("NestingType.FLAT", () => {
  it("runs map items in virtual contexts: no MapIteration records, steps recorded under the map", async () => {
    const { result, records } = await run(async (ctx) => {
      const r = await ctx.map("flat", ["fa", "fb"], async (item, value: string) => item.step("echo", async () => value), { maxConcurrency: 1, nesting: NestingType.FLAT });
      return r.getResults();
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual(["fa", "fb"]);
    const map = records.find((r) => r.name === "flat")!;
    expect(records.filter((r) => r.type === "CONTEXT").map((r) => r.subType)).toEqual(["Map"]);
    const steps = records.filter((r) => r.type === "STEP");
    expect(steps.map((s) => s.parentId)).toEqual([map.id, map.id]);
    expect(new Set(steps.map((s) => s.id)).size).toBe(2);
  });

  it("runs parallel branches in virtual contexts and replays them across a wait", async () => {
    const calls: string[] = [];
    const { result, records } = await run(async (ctx) => {
      const r = await ctx.parallel(
        "flat",
        [
          async (b) => {
            const first = await b.step("first", async () => (calls.push("a"), "fa"));
            await b.wait("pause", { seconds: 5 });
            return b.step("second", async () => (calls.push("a2"), `${first}!`));
          },
          async (b) => b.step("first", async () => (calls.push("b"), "fb")),
        ],
        { nesting: NestingType.FLAT },
      );
      return r.getResults();
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual(["fa!", "fb"]);
    expect(calls.sort()).toEqual(["a", "a2", "b"]);
    expect(result.getInvocations().length).toBeGreaterThan(1);
    expect(records.filter((r) => r.subType === "ParallelBranch")).toEqual([]);
    const parallel = records.find((r) => r.name === "flat")!;
    expect(records.filter((r) => r.type !== "CONTEXT").every((r) => r.parentId === parallel.id)).toBe(true);
  });

  it("reports a failed virtual item as a ChildContextError in the result", async () => {
    const { result } = await run(async (ctx) => {
      const r = await ctx.map(
        [1],
        async () => {
          throw new Error("item broke");
        },
        { nesting: NestingType.FLAT, completionConfig: { toleratedFailureCount: 1 } },
      );
      return r.getErrors().map((e) => [e.name, e.message]);
    });
    expect(result.getResult()).toEqual([["ChildContextError", "item broke"]]);
  });
});

describe("an invalid batch configuration ends the execution before the batch starts", () => {
  it.each([0, -1])("maxConcurrency %d", async (maxConcurrency) => {
    const { result, records } = await run(async (ctx) => {
      try {
        await ctx.parallel("bad-concurrency", [async () => 1, async () => 2], { maxConcurrency });
      } catch {
        return "caught"; // not catchable: it ends the execution
      }
      return "returned";
    });
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toBe(`Invalid maxConcurrency: ${maxConcurrency}. Must be a positive number or undefined for unlimited concurrency.`);
    expect(records).toEqual([]);
  });

  it("shouldComplete together with a threshold", async () => {
    const { result } = await run(async (ctx) =>
      ctx.map([1], async (_i, n: number) => n, { completionConfig: { shouldComplete: () => ({ complete: false }), minSuccessful: 1 } as never }),
    );
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toMatch(/shouldComplete is mutually exclusive with minSuccessful/);
  });
});
