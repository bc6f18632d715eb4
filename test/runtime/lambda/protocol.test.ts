// replayable's withDurableExecution answering Lambda's durable invocation events, against
// the real service side of the protocol (engine/aws's ExecutionService) injected as the
// client: the invocation event, the token chain, paging, batching, the keyed ids on the wire,
// the output shape, and how refusals end the invocation or the execution.
import { describe, expect, it } from "vitest";
import { ExecutionService } from "../../../engine/aws/index.js";
import { invalidCheckpointToken, invalidUpdate } from "../../../engine/aws/service-errors.js";
import { NestingType, retryPresets, StepSemantics, withDurableExecution, type DurableContext } from "../../../runtime/index.js";
import type { JournalStore } from "../../../runtime/journal.js";
import type { OperationRecord } from "../../../runtime/operation-model.js";
import { checkpointRequests, failureScope, MAX_CHECKPOINT_BYTES } from "../../../runtime/lambda/service-journal.js";
import type { DurableExecutionClient, DurableExecutionInvocationOutput, OperationUpdate } from "../../../runtime/lambda/wire.js";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function:orders:1/durable-execution/e-1/0a1b";
const LAMBDA_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** An execution as the service keeps it between invocations, and a way to invoke the function on it. */
function execution(input: unknown = {}, options: { pageSize?: number } = {}) {
  const records = new Map<string, OperationRecord>();
  records.set("execution", { Id: "execution", Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date(), ExecutionDetails: { InputPayload: JSON.stringify(input) } });
  const journal: JournalStore = {
    load: () => [...records.values()],
    save: (record) => void records.set(record.Id, record),
    saveBatch: (batch) => batch.forEach((record) => records.set(record.Id, record)),
  };
  const calls = { checkpoints: 0, updates: 0, pages: 0 };
  let lastService: ExecutionService | undefined;
  /** The service's side of one invocation, counted: what the handler sends goes to the real service. */
  const client = (service: ExecutionService): DurableExecutionClient => ({
    getExecutionState: (params) => (calls.pages++, service.getExecutionState(params)),
    checkpoint: (params) => {
      calls.checkpoints++;
      calls.updates += params.Updates?.length ?? 0;
      return service.checkpoint(params);
    },
  });
  const invoke = async (handler: (client: DurableExecutionClient) => (event: unknown, context: unknown) => Promise<unknown>) => {
    const service = new ExecutionService({ executionArn: ARN, journal, clock: Date.now, pageSize: options.pageSize });
    lastService = service;
    const event = service.invocationInput();
    try {
      return (await handler(client(service))(event, { awsRequestId: "req-1" })) as DurableExecutionInvocationOutput;
    } finally {
      service.end("the invocation returned");
    }
  };
  return { records, calls, invoke, service: () => lastService!, event: () => lastService!.invocationInput() };
}

type Body = (event: any, ctx: DurableContext) => Promise<unknown>;
const durable = (body: Body, config: { maxPayloadBytes?: number } = {}) => (client: DurableExecutionClient) => withDurableExecution(body, { ...config, client });

describe("a durable invocation of a replayable handler", () => {
  it("replays from the first line on each invocation, checkpoints through the client and answers { Status, Result }", async () => {
    const runs: string[] = [];
    const body: Body = async (event: { n: number }, ctx) => {
      const doubled = await ctx.step("double", async () => (runs.push("double"), event.n * 2));
      await ctx.wait("pause", { seconds: 0 });
      return ctx.step("add", async () => (runs.push("add"), doubled + 1));
    };
    const exec = execution({ n: 20 });
    expect(await exec.invoke(durable(body))).toEqual({ Status: "PENDING" });
    expect(await exec.invoke(durable(body))).toEqual({ Status: "SUCCEEDED", Result: "41" });
    expect(runs).toEqual(["double", "add"]);
    const steps = [...exec.records.values()].filter((r) => r.Type === "STEP");
    expect(steps.map((r) => [r.Name, r.Status, r.StepDetails?.Result])).toEqual([
      ["double", "SUCCEEDED", "40"],
      ["add", "SUCCEEDED", "41"],
    ]);
    expect(exec.calls.checkpoints).toBeGreaterThan(0);
  });

  it("sends Lambda-valid operation ids and rebuilds the keyed ids from them: nested contexts, repeated names, map items, patches, now()", async () => {
    let bodies = 0;
    const body: Body = async (_event, ctx) => {
      const drawn = ctx.uuid();
      const seen = await ctx.step("seen", async () => drawn);
      const inner = await ctx.runInChildContext("outer/with#odd%chars", async (child) => {
        const a = await child.step("same", async () => ++bodies);
        const b = await child.step("same", async () => ++bodies);
        return { a, b, at: child.now() > 0 };
      });
      const patched = ctx.patched("fix-1");
      const items = await ctx.map("items", [1, 2, 3], async (item, n) => item.step("square", async () => (++bodies, n * n)));
      await ctx.wait({ seconds: 0 });
      return { same: drawn === seen, inner, patched, squares: items.getResults() };
    };
    const exec = execution();
    expect((await exec.invoke(durable(body))).Status).toBe("PENDING");
    const output = await exec.invoke(durable(body));
    expect(output).toEqual({ Status: "SUCCEEDED", Result: JSON.stringify({ same: true, inner: { a: 1, b: 2, at: true }, patched: true, squares: [1, 4, 9] }) });
    expect(bodies).toBe(5);
    for (const record of exec.records.values()) {
      expect(record.Id).toMatch(LAMBDA_ID);
      if (record.ParentId !== undefined) expect(record.ParentId).toMatch(LAMBDA_ID);
    }
  });

  it("rebuilds the keyed ids of operations in FLAT map items and parallel branches (no context record of their own) when a replay re-enters them", async () => {
    let bodies = 0;
    // Each item waits after its step, so the next invocation replays the items' steps.
    const body: Body = async (_event, ctx) => {
      const squares = await ctx.map("items", [1, 2, 3], async (item, n) => {
        const square = await item.step("square", async () => (++bodies, n * n));
        await item.wait({ seconds: 0 });
        return square;
      }, { nesting: NestingType.FLAT });
      const branches = await ctx.parallel(
        "both",
        [
          async (b) => b.runInChildContext("inner", async (c) => (await c.step("one", async () => (++bodies, 1)), await c.wait({ seconds: 0 }), 1)),
          async (b) => (await b.step("two", async () => (++bodies, 2)), await b.wait({ seconds: 0 }), 2),
        ],
        { nesting: NestingType.FLAT },
      );
      return { squares: squares.getResults(), branches: branches.getResults() };
    };
    const exec = execution();
    let output = await exec.invoke(durable(body));
    for (let i = 0; i < 5 && output.Status === "PENDING"; i++) output = await exec.invoke(durable(body));
    expect(output).toEqual({ Status: "SUCCEEDED", Result: JSON.stringify({ squares: [1, 4, 9], branches: [1, 2] }) });
    expect(bodies).toBe(5);
  });

  it("reads the state past the event's first page with GetDurableExecutionState", async () => {
    let bodies = 0;
    const body: Body = async (_event, ctx) => {
      for (let i = 0; i < 7; i++) await ctx.step(`s${i}`, async () => ++bodies);
      await ctx.wait({ seconds: 0 });
      return bodies;
    };
    const exec = execution({}, { pageSize: 2 });
    await exec.invoke(durable(body));
    expect(exec.calls.pages).toBe(0);
    expect(exec.event().InitialExecutionState.NextMarker).toEqual(expect.any(String));
    expect(await exec.invoke(durable(body))).toEqual({ Status: "SUCCEEDED", Result: "7" });
    expect(exec.calls.pages).toBe(4); // 10 operations: the event's 2, then 4 pages of 2
    expect(bodies).toBe(7);
  });

  it("batches the checkpoints of concurrent operations: one token in flight at a time", async () => {
    const body: Body = async (_event, ctx) => ctx.promise.all(Array.from({ length: 20 }, (_, i) => ctx.step(`p${i}`, async () => i)));
    const exec = execution();
    const output = await exec.invoke(durable(body));
    expect(output.Status).toBe("SUCCEEDED");
    expect(exec.calls.updates).toBeGreaterThanOrEqual(40); // START and SUCCEED of each step
    expect(exec.calls.checkpoints).toBeLessThan(10);
  });

  it("sends an at-least-once step's START and SUCCEED in one checkpoint when its body ends within the turn; at-most-once waits for its START", async () => {
    const sequential = (semantics?: StepSemantics): Body => async (_event, ctx) => {
      let total = 0;
      for (const name of ["a", "b", "c"]) total += await ctx.step(name, async () => total + 1, { semantics });
      return total;
    };
    const atLeastOnce = execution();
    expect(await atLeastOnce.invoke(durable(sequential()))).toEqual({ Status: "SUCCEEDED", Result: "7" });
    expect(atLeastOnce.calls).toMatchObject({ checkpoints: 3, updates: 6 }); // was 6 checkpoints
    const atMostOnce = execution();
    expect(await atMostOnce.invoke(durable(sequential(StepSemantics.AtMostOncePerRetry)))).toEqual({ Status: "SUCCEEDED", Result: "7" });
    expect(atMostOnce.calls).toMatchObject({ checkpoints: 6, updates: 6 });
  });

  it("fails the execution with NonDeterministicExecutionError when a replay issues other operations", async () => {
    const exec = execution();
    await exec.invoke(durable(async (_e, ctx) => (await ctx.step("charge", async () => 1), await ctx.wait({ seconds: 0 }))));
    const output = await exec.invoke(durable(async (_e, ctx) => (await ctx.step("refund", async () => 1), await ctx.wait({ seconds: 0 }))));
    expect(output.Status).toBe("FAILED");
    expect(output.Error?.ErrorType).toBe("NonDeterministicExecutionError");
    expect(output.Error?.ErrorMessage).toMatch(/refund.*charge/s);
  });

  it("hands the handler the callback id the service assigned", async () => {
    const exec = execution();
    const output = await exec.invoke(
      durable(async (_e, ctx) => {
        const [result, callbackId] = await ctx.createCallback("approval");
        await ctx.step("notify", async () => callbackId);
        return result;
      }),
    );
    expect(output).toEqual({ Status: "PENDING" });
    const records = [...exec.records.values()];
    const callback = records.find((r) => r.Type === "CALLBACK")!;
    expect(callback.CallbackDetails?.CallbackId).toMatch(/^[A-Za-z0-9_-]{32}$/); // the service's 192-bit ids, not the runtime's
    expect(records.find((r) => r.Name === "notify")?.StepDetails?.Result).toBe(JSON.stringify(callback.CallbackDetails?.CallbackId));
  });

  it("sends a step's retry as RETRY with its delay, and a failure whose error exceeds Lambda's 32 KiB as a cut error", async () => {
    const exec = execution();
    const body: Body = async (_e, ctx) =>
      ctx.step(
        "flaky",
        async () => {
          throw new Error("x".repeat(40_000));
        },
        { retryStrategy: (_error, attempt) => (attempt < 2 ? { shouldRetry: true, delay: { seconds: 3 } } : { shouldRetry: false }) },
      );
    expect(await exec.invoke(durable(body))).toEqual({ Status: "PENDING" });
    const pending = [...exec.records.values()].find((r) => r.Name === "flaky")!;
    expect(pending.Status).toBe("PENDING");
    expect(pending.StepDetails!.NextAttemptTimestamp!.getTime() - Date.now()).toBeGreaterThan(1500);
    exec.records.set(pending.Id, { ...pending, Status: "READY" }); // the service's timer, come due
    const output = await exec.invoke(durable(body));
    expect(output.Status).toBe("FAILED");
    expect(output.Error?.ErrorMessage).toHaveLength(40_000); // the answer to Lambda keeps it whole
    const failed = [...exec.records.values()].find((r) => r.Name === "flaky")!;
    expect(failed.Status).toBe("FAILED");
    expect(failed.StepDetails?.Error?.ErrorMessage).toMatch(/^x{8192}\.\.\. \(cut to fit Lambda's 32768-byte error limit\)$/);
  });

  it("checkpoints a result over Lambda's 6 MB response and answers with an empty Result", async () => {
    const exec = execution();
    const big = "y".repeat(7 * 1024 * 1024);
    const output = await exec.invoke(durable(async () => big, { maxPayloadBytes: 8 * 1024 * 1024 }));
    expect(output).toEqual({ Status: "SUCCEEDED", Result: "" });
    expect(exec.service().executionEnd).toEqual({ status: "SUCCEEDED", result: JSON.stringify(big) });
  });

  it("throws (so Lambda invokes again) when the service refuses the invocation's token", async () => {
    const exec = execution();
    const body: Body = async (_e, ctx) => {
      await ctx.step("before", async () => 1);
      await ctx.wait({ seconds: 0 });
      return ctx.step("after", async () => 2, { retryStrategy: retryPresets.noRetry });
    };
    expect(await exec.invoke(durable(body))).toEqual({ Status: "PENDING" });
    const service = exec.service();
    const staleEvent = service.invocationInput(); // a token of an invocation that has ended
    const handler = withDurableExecution(body, { client: service });
    await expect(handler(staleEvent, { awsRequestId: "r" })).rejects.toThrow(/Invalid Checkpoint Token: the invocation it was issued to has ended/);
  });

  it("tells an invocation-scoped refusal from an execution-scoped one as the service marks them", () => {
    expect(failureScope(invalidCheckpointToken("it was superseded"))).toBe("INVOCATION");
    expect(failureScope(invalidUpdate("Invalid action"))).toBe("EXECUTION");
    expect(failureScope(Object.assign(new Error("slow down"), { name: "TooManyRequestsException", $metadata: { httpStatusCode: 429 } }))).toBe("INVOCATION");
    expect(failureScope(Object.assign(new Error("boom"), { name: "ServiceException", $metadata: { httpStatusCode: 500 } }))).toBe("INVOCATION");
    expect(failureScope(new Error("socket hang up"))).toBe("INVOCATION");
  });

  it("refuses an event that is not a durable invocation, naming what is missing", async () => {
    const handler = withDurableExecution(async () => 1);
    await expect(handler({ orderId: "o-1" })).rejects.toThrow(/not a durable invocation \(DurableExecutionArn, CheckpointToken, InitialExecutionState\).*DurableConfig/);
  });
});

describe("checkpoint requests", () => {
  const update = (Id: string, Action: OperationUpdate["Action"], Payload?: string): OperationUpdate => ({ Id, Type: "STEP", Action, ...(Payload !== undefined && { Payload }) });

  it("keeps a step's START and SUCCEED together and splits any other repeat of an operation", () => {
    const requests = checkpointRequests([update("a", "START"), update("a", "SUCCEED"), update("b", "RETRY"), update("b", "START"), update("c", "START")]);
    expect(requests.map((r) => r.map((u) => `${u.Id}:${u.Action}`))).toEqual([["a:START", "a:SUCCEED", "b:RETRY"], ["b:START", "c:START"]]);
  });

  it("keeps each request under the size limit", () => {
    const payload = "z".repeat(200 * 1024);
    const requests = checkpointRequests(["a", "b", "c", "d", "e"].map((id) => update(id, "SUCCEED", JSON.stringify(payload))));
    expect(requests.map((r) => r.length)).toEqual([2, 2, 1]);
    for (const request of requests) expect(Buffer.byteLength(JSON.stringify(request))).toBeLessThan(MAX_CHECKPOINT_BYTES);
  });
});
