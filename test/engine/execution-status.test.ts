import { describe, expect, it } from "vitest";
import { lambdaStatusOf, listWithLambdaStatus, type LambdaExecutionStatus } from "../../engine/execution-status.js";
import { createEngine, MemoryStore } from "../../engine/index.js";
import { withDurableExecution } from "../../runtime/index.js";
import type { OperationRecord } from "../../runtime/operation-model.js";

// The store keeps TIMED_OUT and STOPPED executions as FAILED rows (their EXECUTION operation
// says which); listWithLambdaStatus filters on the status as Lambda names it, reading FAILED
// rows 200 at a time, so these runs of 450 failed rows cross several of its pages.

/** 450 failed executions, 4 to a millisecond: a repeating FAILED, STOPPED, TIMED_OUT, FAILED... and a succeeded one every 10. */
async function filledStore(): Promise<{ store: MemoryStore; expected: Array<{ id: string; status: LambdaExecutionStatus }> }> {
  const store = new MemoryStore();
  const ended: LambdaExecutionStatus[] = ["FAILED", "STOPPED", "TIMED_OUT"];
  const all: Array<{ id: string; createdAt: number; status: LambdaExecutionStatus }> = [];
  for (let i = 0; i < 500; i++) {
    const id = `e-${String(i).padStart(3, "0")}`;
    const createdAt = 1_000 + Math.floor(i / 4);
    const status: LambdaExecutionStatus = i % 10 === 9 ? "SUCCEEDED" : ended[i % 3]!;
    await store.createExecution({ executionId: id, functionName: "f", input: "{}", createdAt });
    const lease = await store.claim(id, "test", createdAt, 1_000);
    const record: OperationRecord = { Id: "execution", Type: "EXECUTION", Status: status as OperationRecord["Status"], StartTimestamp: new Date(createdAt), EndTimestamp: new Date(createdAt) };
    await store.commit({ executionId: id, epoch: lease!.epoch, at: createdAt, operations: [record], release: true, execution: { status: status === "SUCCEEDED" ? "SUCCEEDED" : "FAILED", endedAt: createdAt } });
    all.push({ id, createdAt, status });
  }
  all.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  return { store, expected: all.map(({ id, status }) => ({ id, status })) };
}

describe("listWithLambdaStatus", () => {
  it("filters on FAILED, TIMED_OUT and STOPPED as Lambda names them, newest first, across its pages of FAILED rows", async () => {
    const { store, expected } = await filledStore();
    for (const status of ["FAILED", "TIMED_OUT", "STOPPED", "SUCCEEDED"] as const) {
      const got = await listWithLambdaStatus(store, { status });
      expect(got.map(({ row, status }) => ({ id: row.executionId, status })), status).toEqual(expected.filter((e) => e.status === status));
      expect(got.length).toBeGreaterThan(40);
    }
    const unfiltered = await listWithLambdaStatus(store, {});
    expect(unfiltered.map(({ row, status }) => ({ id: row.executionId, status }))).toEqual(expected);
    for (const { row, status } of unfiltered.slice(0, 20)) expect(await lambdaStatusOf(store, row)).toBe(status);
  });

  it("pages over the keyset cursor: limit and after give every match once, in order", async () => {
    const { store, expected } = await filledStore();
    const stopped = expected.filter((e) => e.status === "STOPPED").map((e) => e.id);
    const seen: string[] = [];
    let after: { createdAt: number; executionId: string } | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await listWithLambdaStatus(store, { status: "STOPPED", limit: 37, after });
      seen.push(...page.map(({ row }) => row.executionId));
      const last = page.at(-1)?.row;
      if (page.length < 37 || !last) break;
      after = { createdAt: last.createdAt, executionId: last.executionId };
    }
    expect(seen).toEqual(stopped);
    expect(await listWithLambdaStatus(store, { status: "TIMED_OUT", limit: 5 })).toHaveLength(5);
  });
});

describe("an execution stopped before its first invocation", () => {
  it("is STOPPED, with an EXECUTION record made from its row (none existed yet)", async () => {
    const store = new MemoryStore();
    const handler = withDurableExecution(async () => "never runs");
    const engine = createEngine({ store, functions: { f: handler }, worker: false });
    const { executionId } = await engine.start("f", { a: 1 });
    expect((await store.loadOperations(executionId)).find((r) => r.Type === "EXECUTION")).toBeUndefined();
    const { stoppedAt } = await engine.stopExecution(executionId);
    const row = (await store.getExecution(executionId))!;
    expect(await lambdaStatusOf(store, row)).toBe("STOPPED");
    const record = (await store.loadOperations(executionId)).find((r) => r.Type === "EXECUTION");
    expect(record).toMatchObject({ Id: "execution", Status: "STOPPED", ExecutionDetails: { InputPayload: JSON.stringify({ a: 1 }) } });
    expect(record!.StartTimestamp.getTime()).toBe(row.createdAt);
    expect(record!.EndTimestamp!.getTime()).toBe(stoppedAt);
    await engine.close();
  });
});
