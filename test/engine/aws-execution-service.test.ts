// The durable execution service the official SDK talks to, on its own: tokens, paging,
// and the state each OperationUpdate leaves.
import { describe, expect, it } from "vitest";
import { ExecutionService, type OperationUpdate } from "../../engine/aws/index.js";
import type { JournalStore } from "../../runtime/journal.js";
import type { OperationRecord } from "../../runtime/operation-model.js";

const ARN = "arn:replayable:local:function:orders:execution/e-1";
const T0 = Date.parse("2026-01-01T00:00:00.000Z");

function setup(options: { records?: OperationRecord[]; pageSize?: number; arn?: string } = {}) {
  const execution: OperationRecord = { Id: "execution", Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date(T0), ExecutionDetails: { InputPayload: '{"n":1}' } };
  const committed: OperationRecord[][] = [];
  let commit: (records: OperationRecord[]) => Promise<void> = async (records) => void committed.push(records);
  const journal: JournalStore = {
    load: () => [execution, ...(options.records ?? [])],
    save: (record) => commit([record]),
    saveBatch: (records) => commit(records),
  };
  let now = T0 + 1000;
  const service = new ExecutionService({ executionArn: options.arn ?? ARN, journal, clock: () => now, pageSize: options.pageSize });
  const event = service.invocationInput();
  let token = event.CheckpointToken;
  const checkpoint = async (...updates: OperationUpdate[]) => {
    const answer = await service.checkpoint({ DurableExecutionArn: options.arn ?? ARN, CheckpointToken: token, Updates: updates });
    token = answer.CheckpointToken!;
    return answer.NewExecutionState!.Operations!;
  };
  return {
    service,
    event,
    committed,
    checkpoint,
    token: () => token,
    advance: (ms: number) => void (now += ms),
    setCommit: (fn: typeof commit) => void (commit = fn),
  };
}

const step = (id: string, Action: OperationUpdate["Action"], extra: Partial<OperationUpdate> = {}): OperationUpdate => ({ Id: id, Type: "STEP", SubType: "Step", Action, ...extra });

describe("the invocation event and GetDurableExecutionState", () => {
  it("sends the ARN, a token and the operations as the Lambda event does (EXECUTION first, ISO timestamps)", () => {
    const { event } = setup();
    expect(event.DurableExecutionArn).toBe(ARN);
    expect(event.CheckpointToken).toEqual(expect.any(String));
    expect(event.InitialExecutionState).toEqual({
      Operations: [{ Id: "execution", Type: "EXECUTION", Status: "STARTED", StartTimestamp: "2026-01-01T00:00:00.000Z", ExecutionDetails: { InputPayload: '{"n":1}' } }],
    });
  });

  it("pages with NextMarker, and leaves out the children of a completed context", async () => {
    const at = new Date(T0);
    const records: OperationRecord[] = [
      { Id: "c1", Type: "CONTEXT", Status: "SUCCEEDED", StartTimestamp: at, ContextDetails: { Result: "1" } },
      { Id: "c1-a", ParentId: "c1", Type: "STEP", Status: "SUCCEEDED", StartTimestamp: at },
      { Id: "c2", Type: "CONTEXT", Status: "SUCCEEDED", StartTimestamp: at, ContextDetails: { Result: "", ReplayChildren: true } },
      { Id: "c2-a", ParentId: "c2", Type: "STEP", Status: "SUCCEEDED", StartTimestamp: at },
      { Id: "c3", Type: "CONTEXT", Status: "STARTED", StartTimestamp: at },
      { Id: "c3-a", ParentId: "c3", Type: "STEP", Status: "SUCCEEDED", StartTimestamp: at },
      { Id: "s", Type: "STEP", Status: "SUCCEEDED", StartTimestamp: at, WaitOptions: { WaitSeconds: 1 } },
    ];
    const { service, event } = setup({ records, pageSize: 2 });
    const ids = event.InitialExecutionState.Operations.map((o) => o.Id);
    let marker = event.InitialExecutionState.NextMarker;
    const pages: number[] = [];
    while (marker) {
      const page = await service.getExecutionState({ DurableExecutionArn: ARN, CheckpointToken: event.CheckpointToken, Marker: marker, MaxItems: 1000 });
      pages.push(page.Operations!.length);
      ids.push(...page.Operations!.map((o) => o.Id));
      expect(page.Operations!.every((o) => o.StartTimestamp instanceof Date)).toBe(true);
      expect(page.Operations!.some((o) => "WaitOptions" in o)).toBe(false);
      marker = page.NextMarker;
    }
    expect(ids).toEqual(["execution", "c1", "c2", "c2-a", "c3", "c3-a", "s"]);
    expect(pages).toEqual([2, 2, 1]);
    await expect(service.getExecutionState({ DurableExecutionArn: ARN, CheckpointToken: event.CheckpointToken, Marker: "bm9wZQ" })).rejects.toThrow(/Invalid Marker/);
  });
});

describe("checkpoint tokens", () => {
  it("are single-use: the previous token is rejected as the service rejects it, ending only the invocation", async () => {
    const { service, event, checkpoint } = setup();
    await checkpoint(step("a", "START"));
    const error = await service.checkpoint({ DurableExecutionArn: ARN, CheckpointToken: event.CheckpointToken, Updates: [] }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "InvalidParameterValueException",
      isDurableExecutionClientError: true,
      scope: "INVOCATION",
      $metadata: { httpStatusCode: 400 },
    });
    expect((error as Error).message).toMatch(/^Invalid Checkpoint Token: it was superseded by a later checkpoint/);
  });

  it("name a foreign, forged or expired token", async () => {
    const first = setup();
    const sameExecutionLater = setup();
    const otherExecution = setup({ arn: `${ARN}-other` });
    const call = (service: ExecutionService, token: string) => service.checkpoint({ DurableExecutionArn: ARN, CheckpointToken: token, Updates: [] });
    await expect(call(first.service, otherExecution.event.CheckpointToken)).rejects.toThrow(/^Invalid Checkpoint Token: it was issued for another execution/);
    await expect(call(sameExecutionLater.service, first.event.CheckpointToken)).rejects.toThrow(/issued to an earlier invocation of this execution/);
    await expect(call(first.service, "made-up")).rejects.toThrow(/not issued by this service/);
    await expect(call(first.service, "")).rejects.toThrow(/a CheckpointToken is required/);
    first.service.end("the handler returned");
    await expect(call(first.service, first.event.CheckpointToken)).rejects.toThrow(/the invocation it was issued to has ended \(the handler returned\)/);
    await expect(first.service.getExecutionState({ DurableExecutionArn: ARN, CheckpointToken: first.event.CheckpointToken })).rejects.toThrow(/has ended/);
    await expect(sameExecutionLater.service.checkpoint({ DurableExecutionArn: "arn:other", CheckpointToken: sameExecutionLater.event.CheckpointToken })).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      scope: "EXECUTION",
    });
  });

  it("answer only once the checkpoint is committed, and refuse the same token while it is in flight", async () => {
    const { service, event, setCommit } = setup();
    let release!: () => void;
    setCommit(() => new Promise<void>((resolve) => (release = resolve)));
    let answered = false;
    const pending = service.checkpoint({ DurableExecutionArn: ARN, CheckpointToken: event.CheckpointToken, Updates: [step("a", "START")] }).then((answer) => ((answered = true), answer));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    await expect(service.checkpoint({ DurableExecutionArn: ARN, CheckpointToken: event.CheckpointToken, Updates: [] })).rejects.toThrow(/still in progress/);
    release();
    expect((await pending).CheckpointToken).not.toBe(event.CheckpointToken);
  });

  it("turn a commit the store refused into an invocation-scoped error, and end the invocation", async () => {
    const { service, event, setCommit } = setup();
    const lost = new Error("this worker's claim was superseded");
    setCommit(async () => {
      throw lost;
    });
    await expect(service.checkpoint({ DurableExecutionArn: ARN, CheckpointToken: event.CheckpointToken, Updates: [step("a", "START")] })).rejects.toMatchObject({
      name: "ServiceException",
      scope: "INVOCATION",
      message: "The checkpoint was not committed: this worker's claim was superseded",
    });
    expect(service.commitFailure).toBe(lost);
  });
});

describe("operation updates", () => {
  it("STEP: START and SUCCEED in one batch (the attempt counted), RETRY to PENDING with the next attempt's time, no START while PENDING", async () => {
    const { checkpoint, committed } = setup();
    expect(await checkpoint(step("a", "START"), step("a", "SUCCEED", { Payload: "42" }))).toEqual([
      { Id: "a", Type: "STEP", SubType: "Step", Status: "SUCCEEDED", StartTimestamp: new Date(T0 + 1000), EndTimestamp: new Date(T0 + 1000), StepDetails: { Attempt: 1, Result: "42" } },
    ]);
    expect(committed.at(-1)!.map((r) => r.Status)).toEqual(["STARTED", "SUCCEEDED"]);

    const [pending] = await checkpoint(step("b", "RETRY", { Error: { ErrorMessage: "glitch" }, StepOptions: { NextAttemptDelaySeconds: 5 } }));
    expect(pending).toMatchObject({ Status: "PENDING", StepDetails: { Attempt: 1, NextAttemptTimestamp: new Date(T0 + 6000), Error: { ErrorMessage: "glitch" } } });
    await expect(checkpoint(step("b", "START"))).rejects.toThrow(/Invalid current STEP state to start \(operation b is PENDING\)/);
  });

  it("a poll after the retry delay finds the step READY; the next attempt succeeds as attempt 2", async () => {
    const { checkpoint, advance, committed } = setup();
    await checkpoint(step("b", "START"), step("b", "RETRY", { StepOptions: { NextAttemptDelaySeconds: 2 } }));
    advance(2000);
    expect((await checkpoint()).map((o) => [o.Id, o.Status])).toEqual([["b", "READY"]]);
    expect(committed.at(-1)!.map((r) => r.Status)).toEqual(["READY"]);
    const [done] = await checkpoint(step("b", "START"), step("b", "SUCCEED", { Payload: "1" }));
    expect(done!.StepDetails).toEqual({ Attempt: 2, Result: "1" });
  });

  it("WAIT: START schedules the end from WaitSeconds; a poll after it sees SUCCEEDED; CANCEL", async () => {
    const { checkpoint, advance } = setup();
    const [wait] = await checkpoint({ Id: "w", Type: "WAIT", SubType: "Wait", Action: "START", WaitOptions: { WaitSeconds: 3 } });
    expect(wait!.WaitDetails).toEqual({ ScheduledEndTimestamp: new Date(T0 + 4000) });
    advance(1000);
    expect(await checkpoint()).toEqual([]);
    advance(2000);
    expect((await checkpoint()).map((o) => [o.Id, o.Status])).toEqual([["w", "SUCCEEDED"]]);
    await checkpoint({ Id: "w2", Type: "WAIT", Action: "START", WaitOptions: { WaitSeconds: 60 } });
    expect((await checkpoint({ Id: "w2", Type: "WAIT", Action: "CANCEL" }))[0]!.Status).toBe("CANCELLED");
  });

  it("CALLBACK: START gets an unguessable id from the service and keeps the timeouts for the engine", async () => {
    const { checkpoint } = setup();
    const [a] = await checkpoint({ Id: "cb1", Type: "CALLBACK", Action: "START", CallbackOptions: { TimeoutSeconds: 60, HeartbeatTimeoutSeconds: 10 } });
    const [b] = await checkpoint({ Id: "cb2", Type: "CALLBACK", Action: "START", CallbackOptions: {} });
    expect(a!.CallbackDetails!.CallbackId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a!.CallbackDetails!.CallbackId).not.toBe(b!.CallbackDetails!.CallbackId);
    expect(a).not.toHaveProperty("CallbackOptions"); // kept beside the operation, not returned
  });

  it("CHAINED_INVOKE: START records the function and the payload; CANCEL stops it", async () => {
    const { checkpoint, committed } = setup();
    await checkpoint({ Id: "i", Type: "CHAINED_INVOKE", SubType: "ChainedInvoke", Action: "START", Payload: '{"x":1}', ChainedInvokeOptions: { FunctionName: "users-fn" } });
    expect(committed.at(-1)![0]!.ChainedInvokeOptions).toEqual({ FunctionName: "users-fn", InputPayload: '{"x":1}' });
    expect((await checkpoint({ Id: "i", Type: "CHAINED_INVOKE", Action: "CANCEL" }))[0]!.Status).toBe("STOPPED");
  });

  it("CONTEXT: children need a started CONTEXT parent; SUCCEED keeps the payload and ReplayChildren", async () => {
    const { checkpoint } = setup();
    const answer = await checkpoint(
      { Id: "ctx", Type: "CONTEXT", SubType: "RunInChildContext", Action: "START" },
      step("ctx-a", "SUCCEED", { ParentId: "ctx", Payload: "1" }),
      { Id: "ctx", Type: "CONTEXT", Action: "SUCCEED", Payload: "big", ContextOptions: { ReplayChildren: true } },
    );
    expect(answer.find((o) => o.Id === "ctx")).toMatchObject({ Status: "SUCCEEDED", ContextDetails: { Result: "big", ReplayChildren: true } });
    await expect(setup().checkpoint(step("x", "START", { ParentId: "nowhere" }))).rejects.toThrow(/Invalid parent operation id nowhere/);
  });

  it("EXECUTION: SUCCEED ends the execution; the service refuses later checkpoints", async () => {
    const { service, checkpoint } = setup();
    expect(await checkpoint({ Id: "execution-result-1", Type: "EXECUTION", Action: "SUCCEED", Payload: '"big"' })).toEqual([]);
    expect(service.executionEnd).toEqual({ status: "SUCCEEDED", result: '"big"' });
    await expect(checkpoint(step("late", "START"))).rejects.toThrow(/^Invalid Checkpoint Token: the execution has already ended/);
  });

  it("refuses invalid updates as the service does, failing the execution (EXECUTION scope)", async () => {
    const cases: Array<[OperationUpdate[], RegExp]> = [
      [[{ Id: "w", Type: "WAIT", Action: "START" }, { Id: "w", Type: "WAIT", Action: "START" }], /same operation twice/],
      [[step("s", "RETRY")], /Invalid StepOptions/],
      [[step("s", "FAIL", { Payload: "1" })], /Cannot provide a Payload for FAIL action/],
      [[step("s", "CANCEL")], /Invalid action "CANCEL" for a STEP operation/],
      [[{ Id: "e", Type: "EXECUTION", Action: "SUCCEED" }, step("s", "START")], /EXECUTION checkpoint must be the last update/],
      [[{ Id: "w", Type: "WAIT", Action: "CANCEL" }], /Cannot cancel a WAIT that does not exist/],
      [[{ Id: "i", Type: "CHAINED_INVOKE", Action: "START" }], /needs ChainedInvokeOptions.FunctionName/],
      [[{ Id: "w", Type: "WAIT", Action: "START", WaitOptions: { WaitSeconds: -1 } }], /Invalid WaitOptions.WaitSeconds -1/],
      // Names every object inherits are no operation types.
      [[{ Id: "o", Type: "constructor" as OperationUpdate["Type"], Action: "START" }], /Unknown operation type "constructor" in the update of operation o/],
      [[{ Id: "o", Type: "toString" as OperationUpdate["Type"], Action: "START" }], /Unknown operation type "toString"/],
    ];
    for (const [updates, message] of cases) {
      const { service, checkpoint, committed, token } = setup();
      await expect(checkpoint(...updates)).rejects.toMatchObject({ name: "InvalidParameterValueException", scope: "EXECUTION", message: expect.stringMatching(message) });
      expect(committed).toEqual([]);
      await expect(service.checkpoint({ DurableExecutionArn: ARN, CheckpointToken: token(), Updates: [] })).rejects.toThrow(/has ended \(a checkpoint was refused/);
    }
  });
});
