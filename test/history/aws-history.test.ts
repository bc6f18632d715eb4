import { describe, expect, it } from "vitest";
import { buildHistory, formatHistory, type HistoryEvent, type HistoryExecution, type InvocationBoundary, type OperationUpdate } from "../../history/aws-history.js";
import { Bindings, matchHistory } from "../../conformance/match.js";
import { parseRequirements } from "../../conformance/requirements.js";
import type { OperationRecord } from "../../runtime/operation-model.js";

const T0 = Date.UTC(2026, 0, 1);
const at = (ms: number) => new Date(T0 + ms);

/** Builds an update list: each entry is [invocation, ms after T0, record]. */
function updates(...entries: Array<[number, number, OperationRecord]>): OperationUpdate[] {
  return entries.map(([invocation, ms, record], i) => ({ sequence: i + 1, at: T0 + ms, invocation, record }));
}
const inv = (invocation: number, from: number, to: number | undefined, extra: Partial<InvocationBoundary> = {}): InvocationBoundary => ({
  invocation,
  startedAt: T0 + from,
  endedAt: to === undefined ? undefined : T0 + to,
  requestId: `req-${invocation}`,
  ...extra,
});
const execution = (fields: Partial<HistoryExecution> = {}): HistoryExecution => ({
  executionId: "exec-1",
  input: '"World"',
  status: "SUCCEEDED",
  result: '"done"',
  createdAt: T0,
  endedAt: T0 + 5000,
  ...fields,
});
const step = (status: OperationRecord["Status"], details: OperationRecord["StepDetails"] = {}, extra: Partial<OperationRecord> = {}): OperationRecord => ({
  Id: "s1",
  Type: "STEP",
  SubType: "Step",
  Status: status,
  StartTimestamp: at(10),
  StepDetails: details,
  ...extra,
});
const types = (events: HistoryEvent[]) => events.map((e) => `${e.EventId} ${e.EventType}`);

describe("buildHistory", () => {
  it("turns a step's retry into StepFailed with RetryDetails, closes each invocation, and opens and ends the execution", () => {
    const history = buildHistory(
      execution({ result: '"Operation succeeded"', endedAt: T0 + 1040 }),
      updates(
        [1, 10, step("STARTED", { Attempt: 0 })],
        [1, 12, step("PENDING", { Attempt: 1, Error: { ErrorType: "Error", ErrorMessage: "boom" }, NextAttemptTimestamp: at(1012) })],
        [2, 1012, step("READY", { Attempt: 1 })], // the retry came due: no event
        [2, 1020, step("STARTED", { Attempt: 1 })],
        [2, 1021, step("SUCCEEDED", { Attempt: 2, Result: '"Operation succeeded"' })],
      ),
      [inv(1, 0, 20), inv(2, 1015, 1030)],
    );
    expect(types(history)).toEqual([
      "1 ExecutionStarted",
      "2 StepStarted",
      "3 StepFailed",
      "4 InvocationCompleted",
      "5 StepStarted",
      "6 StepSucceeded",
      "7 InvocationCompleted",
      "8 ExecutionSucceeded",
    ]);
    expect(history[0]).toMatchObject({ Id: "exec-1", EventTimestamp: at(0), ExecutionStartedDetails: { Input: { Payload: '"World"' } } });
    expect(history[2]).toMatchObject({
      SubType: "Step",
      Id: "s1",
      EventTimestamp: at(12),
      StepFailedDetails: { Error: { Payload: { ErrorType: "Error", ErrorMessage: "boom" } }, RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 1 } },
    });
    expect(history[3]!.InvocationCompletedDetails).toEqual({ StartTimestamp: at(0), EndTimestamp: at(20), RequestId: "req-1" });
    expect(history[5]!.StepSucceededDetails).toEqual({ Result: { Payload: '"Operation succeeded"', Truncated: false }, RetryDetails: { CurrentAttempt: 2 } });
    expect(history[7]).toMatchObject({ EventTimestamp: at(1040), ExecutionSucceededDetails: { Result: { Payload: '"Operation succeeded"' } } });
  });

  it("satisfies a requirement's expected history for the same run", () => {
    const [req] = parseRequirements(
      `
handler: a step that fails once, retried after a second
ExpectedExecutionHistory:
  - { EventType: StepStarted, SubType: Step, EventId: 2, Id: '\${ID1}', EventTimestamp: '*', StepStartedDetails: {} }
  - EventType: StepFailed
    SubType: Step
    EventId: 3
    Id: \${ID1}
    StepFailedDetails: { Error: { Payload: { ErrorType: '*' } }, RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 2 } }
  - { EventType: InvocationCompleted, EventId: 4, InvocationCompletedDetails: {} }
  - { EventType: StepStarted, SubType: Step, EventId: 5, Id: '\${ID1}', StepStartedDetails: {} }
  - EventType: StepSucceeded
    EventId: 6
    Id: \${ID1}
    StepSucceededDetails: { Result: { Payload: '"ok"' }, RetryDetails: { CurrentAttempt: 2 } }
  - { EventType: InvocationCompleted, EventId: 7, InvocationCompletedDetails: {} }
  - { EventType: ExecutionSucceeded, EventId: 8, ExecutionSucceededDetails: { Result: { Payload: '"ok"' } } }
`,
      "retry.yaml",
    );
    const history = buildHistory(
      execution({ result: '"ok"' }),
      updates(
        [1, 10, step("STARTED", { Attempt: 0 })],
        [1, 11, step("PENDING", { Attempt: 1, Error: { ErrorType: "Error" }, NextAttemptTimestamp: at(2011) })],
        [2, 2020, step("STARTED", { Attempt: 1 })],
        [2, 2021, step("SUCCEEDED", { Attempt: 2, Result: '"ok"' })],
      ),
      [inv(1, 0, 20), inv(2, 2015, 2030)],
    );
    expect(matchHistory(req!.expectedHistory, history, new Bindings()).map((m) => m.message)).toEqual([]);
  });

  it("puts what the service did between invocations after the earlier invocation's InvocationCompleted", () => {
    const callback = (status: OperationRecord["Status"], extra: Partial<OperationRecord> = {}): OperationRecord => ({
      Id: "c1",
      Name: "approval",
      Type: "CALLBACK",
      SubType: "Callback",
      Status: status,
      StartTimestamp: at(5),
      CallbackDetails: { CallbackId: "cb-123" },
      CallbackOptions: { TimeoutSeconds: 300 },
      ...extra,
    });
    const wait = (status: OperationRecord["Status"]): OperationRecord => ({
      Id: "w1",
      Type: "WAIT",
      SubType: "Wait",
      Status: status,
      StartTimestamp: at(6),
      WaitOptions: { WaitSeconds: 5 },
      WaitDetails: { ScheduledEndTimestamp: at(5006) },
    });
    const history = buildHistory(
      execution(),
      updates(
        [1, 5, callback("STARTED")],
        [1, 6, wait("STARTED")],
        // Committed after invocation 1 ended, still numbered 1: it belongs after its InvocationCompleted.
        [1, 1000, callback("SUCCEEDED", { CallbackDetails: { CallbackId: "cb-123", Result: '"yes"' } })],
        // Numbered for the invocation it opens, at the very moment invocation 2 ended.
        [3, 1100, wait("SUCCEEDED")],
      ),
      [inv(1, 0, 50), inv(2, 1010, 1100), inv(3, 5010, 5020)],
    );
    expect(types(history)).toEqual([
      "1 ExecutionStarted",
      "2 CallbackStarted",
      "3 WaitStarted",
      "4 InvocationCompleted",
      "5 CallbackSucceeded",
      "6 InvocationCompleted",
      "7 WaitSucceeded",
      "8 InvocationCompleted",
      "9 ExecutionSucceeded",
    ]);
    expect(history[1]).toMatchObject({ Name: "approval", SubType: "Callback", CallbackStartedDetails: { CallbackId: "cb-123", Timeout: 300 } });
    expect(history[1]!.CallbackStartedDetails).not.toHaveProperty("HeartbeatTimeout");
    expect(history[2]!.WaitStartedDetails).toEqual({ Duration: 5, ScheduledEndTimestamp: at(5006) });
    expect(history[4]!.CallbackSucceededDetails).toEqual({ Result: { Payload: '"yes"', Truncated: false } });
    expect(history[6]!.WaitSucceededDetails).toEqual({ Duration: 5 });
  });

  it("gives an operation first committed past STARTED its Started event, and a repeated state no event", () => {
    const ctx = (status: OperationRecord["Status"]): OperationRecord => ({
      Id: "ctx",
      Name: "child",
      Type: "CONTEXT",
      SubType: "RunInChildContext",
      Status: status,
      StartTimestamp: at(1),
      ContextDetails: status === "SUCCEEDED" ? { Result: "null" } : undefined,
    });
    const history = buildHistory(execution(), updates([1, 3, ctx("SUCCEEDED")], [1, 4, ctx("SUCCEEDED")]), [inv(1, 0, 10)]);
    expect(types(history)).toEqual(["1 ExecutionStarted", "2 ContextStarted", "3 ContextSucceeded", "4 InvocationCompleted", "5 ExecutionSucceeded"]);
    expect(history[1]).toMatchObject({ Name: "child", SubType: "RunInChildContext", EventTimestamp: at(3), ContextStartedDetails: {} });
    expect(history[2]!.ContextSucceededDetails).toEqual({ Result: { Payload: "null", Truncated: false } });
  });

  it("records a crashed invocation's error, and no second StepStarted when the step runs again", () => {
    const history = buildHistory(
      execution({ result: '"x"' }),
      updates([1, 5, step("STARTED", { Attempt: 0 }, { ParentId: "ctx" })], [2, 2005, step("SUCCEEDED", { Attempt: 1, Result: '"x"' }, { ParentId: "ctx" })]),
      [inv(1, 0, 1000, { error: { ErrorType: "Runtime.ExitError", ErrorMessage: "exited with status 1" } }), inv(2, 2000, 2010)],
    );
    expect(types(history)).toEqual(["1 ExecutionStarted", "2 StepStarted", "3 InvocationCompleted", "4 StepSucceeded", "5 InvocationCompleted", "6 ExecutionSucceeded"]);
    expect(history[1]!.ParentId).toBe("ctx");
    expect(history[2]!.InvocationCompletedDetails!.Error).toEqual({ Payload: { ErrorType: "Runtime.ExitError", ErrorMessage: "exited with status 1" }, Truncated: false });
    expect(history[4]!.InvocationCompletedDetails).not.toHaveProperty("Error");
  });

  it("records each waitForCondition poll: a poll that continues is a StepSucceeded with its state and the next delay", () => {
    const poll = (status: OperationRecord["Status"], details: OperationRecord["StepDetails"]): OperationRecord => ({
      ...step(status, details),
      Id: "p1",
      SubType: "WaitForCondition",
    });
    const history = buildHistory(
      execution({ result: "2" }),
      updates(
        [1, 10, poll("STARTED", {})],
        [1, 11, poll("PENDING", { Attempt: 1, Result: "1", NextAttemptTimestamp: at(3011) })],
        [2, 3011, poll("READY", { Attempt: 1, Result: "1" })],
        [2, 3020, poll("STARTED", { Attempt: 1, Result: "1" })],
        [2, 3021, poll("SUCCEEDED", { Attempt: 2, Result: "2" })],
      ),
      [inv(1, 0, 20), inv(2, 3015, 3030)],
    );
    expect(types(history)).toEqual([
      "1 ExecutionStarted",
      "2 StepStarted",
      "3 StepSucceeded",
      "4 InvocationCompleted",
      "5 StepStarted",
      "6 StepSucceeded",
      "7 InvocationCompleted",
      "8 ExecutionSucceeded",
    ]);
    expect(history[2]).toMatchObject({ SubType: "WaitForCondition", StepSucceededDetails: { Result: { Payload: "1" }, RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 3 } } });
    expect(history[5]!.StepSucceededDetails).toEqual({ Result: { Payload: "2", Truncated: false }, RetryDetails: { CurrentAttempt: 2 } });
  });

  it("gives a step outcome reached without a new STARTED (from READY) its StepStarted", () => {
    const history = buildHistory(
      execution(),
      updates(
        [1, 10, step("PENDING", { Attempt: 1, Error: { ErrorMessage: "x" }, NextAttemptTimestamp: at(1010) })],
        [2, 1010, step("READY", { Attempt: 1 })],
        [2, 1020, step("FAILED", { Attempt: 2, Error: { ErrorMessage: "y" } })],
      ),
      [inv(1, 0, 20), inv(2, 1015, 1030)],
    );
    expect(types(history).slice(1, 6)).toEqual(["2 StepStarted", "3 StepFailed", "4 InvocationCompleted", "5 StepStarted", "6 StepFailed"]);
    expect(history[5]!.StepFailedDetails).toEqual({ Error: { Payload: { ErrorMessage: "y" }, Truncated: false }, RetryDetails: { CurrentAttempt: 2 } });
  });

  it("names a callback timeout by its cause: Callback.Timeout or Callback.Heartbeat", () => {
    const timedOut = (id: string, options: OperationRecord["CallbackOptions"], lastedMs: number, error?: OperationRecord["CallbackDetails"]): OperationRecord[] => {
      const started: OperationRecord = { Id: id, Type: "CALLBACK", SubType: "Callback", Status: "STARTED", StartTimestamp: at(0), CallbackOptions: options, CallbackDetails: { CallbackId: id } };
      return [started, { ...started, Status: "TIMED_OUT", EndTimestamp: at(lastedMs), CallbackDetails: { CallbackId: id, ...error } }];
    };
    const records = [
      ...timedOut("overall", { TimeoutSeconds: 3 }, 3000),
      ...timedOut("heartbeat", { HeartbeatTimeoutSeconds: 5 }, 5000),
      ...timedOut("heartbeat-first", { TimeoutSeconds: 60, HeartbeatTimeoutSeconds: 5 }, 5000),
      ...timedOut("recorded", { TimeoutSeconds: 60, HeartbeatTimeoutSeconds: 5 }, 5000, { Error: { ErrorType: "Callback.Timeout", ErrorMessage: "said so" } }),
    ];
    const history = buildHistory(execution({ status: "FAILED", error: { ErrorType: "CallbackError" } }), updates(...records.map((r, i): [number, number, OperationRecord] => [1, i, r])), []);
    const timeouts = history.filter((e) => e.EventType === "CallbackTimedOut").map((e) => [e.Id, e.CallbackTimedOutDetails!.Error.Payload!.ErrorType]);
    expect(timeouts).toEqual([
      ["overall", "Callback.Timeout"],
      ["heartbeat", "Callback.Heartbeat"],
      ["heartbeat-first", "Callback.Heartbeat"],
      ["recorded", "Callback.Timeout"],
    ]);
    expect(history.find((e) => e.Id === "heartbeat")!.CallbackStartedDetails).toEqual({ CallbackId: "heartbeat", HeartbeatTimeout: 5 });
    expect(history.at(-1)).toMatchObject({ EventType: "ExecutionFailed", ExecutionFailedDetails: { Error: { Payload: { ErrorType: "CallbackError" } } } });
  });

  it("shows replayable's context.now() records as steps, or leaves them out", () => {
    const now: OperationRecord = { Id: "now#1", Type: "STEP", SubType: "Now", Status: "SUCCEEDED", StartTimestamp: at(1), StepDetails: { Attempt: 1, Result: String(T0) } };
    const list = updates([1, 1, now], [1, 2, step("STARTED")], [1, 3, step("SUCCEEDED", { Attempt: 1, Result: "1" })]);
    expect(types(buildHistory(execution(), list, [inv(1, 0, 10)]))).toEqual([
      "1 ExecutionStarted",
      "2 StepStarted",
      "3 StepSucceeded",
      "4 StepStarted",
      "5 StepSucceeded",
      "6 InvocationCompleted",
      "7 ExecutionSucceeded",
    ]);
    const omitted = buildHistory(execution(), list, [inv(1, 0, 10)], { replayableRecords: "omit" });
    expect(types(omitted)).toEqual(["1 ExecutionStarted", "2 StepStarted", "3 StepSucceeded", "4 InvocationCompleted", "5 ExecutionSucceeded"]);
    expect(omitted.every((e) => e.SubType !== "Now")).toBe(true);
  });

  it("describes chained invokes with the function, tenant and input, and their outcome", () => {
    const invoke = (status: OperationRecord["Status"], details?: OperationRecord["ChainedInvokeDetails"]): OperationRecord => ({
      Id: "i1",
      Name: "echo",
      Type: "CHAINED_INVOKE",
      SubType: "ChainedInvoke",
      Status: status,
      StartTimestamp: at(1),
      ChainedInvokeOptions: { FunctionName: "target", TenantId: "t-1", InputPayload: '"hi"' },
      ChainedInvokeDetails: details,
    });
    const list = updates([1, 1, invoke("STARTED")], [2, 500, invoke("FAILED", { Error: { ErrorType: "TargetError" } })]);
    const history = buildHistory(execution({ status: "RUNNING", endedAt: undefined }), list, [inv(1, 0, 10), inv(2, 600, undefined)]);
    expect(types(history)).toEqual(["1 ExecutionStarted", "2 ChainedInvokeStarted", "3 InvocationCompleted", "4 ChainedInvokeFailed"]);
    expect(history[1]!.ChainedInvokeStartedDetails).toEqual({
      FunctionName: "target",
      TenantId: "t-1",
      Input: { Payload: '"hi"', Truncated: false },
      ExecutedVersion: "$LATEST",
      DurableExecutionArn: "arn:replayable:local:execution/exec-1/i1",
    });
    expect(history[3]!.ChainedInvokeFailedDetails).toEqual({ Error: { Payload: { ErrorType: "TargetError" }, Truncated: false } });
    const described = buildHistory(execution(), list, [], { describeInvoke: () => ({ executedVersion: "7", durableExecutionArn: "arn:child" }) });
    expect(described[1]!.ChainedInvokeStartedDetails).toMatchObject({ ExecutedVersion: "7", DurableExecutionArn: "arn:child" });
  });

  it("ignores EXECUTION records and orders updates by sequence", () => {
    const list = updates([1, 1, step("STARTED")], [1, 2, step("SUCCEEDED", { Attempt: 1, Result: "1" })]);
    const executionRecord: OperationRecord = { Id: "execution", Type: "EXECUTION", Status: "STARTED", StartTimestamp: at(0) };
    const shuffled = [list[1]!, { sequence: 0, at: T0, invocation: 1, record: executionRecord }, list[0]!];
    expect(types(buildHistory(execution(), shuffled, [inv(1, 0, 5)]))).toEqual(["1 ExecutionStarted", "2 StepStarted", "3 StepSucceeded", "4 InvocationCompleted", "5 ExecutionSucceeded"]);
  });

  it("prints one line per event", () => {
    const history = buildHistory(execution(), updates([1, 1, step("STARTED", {}, { Name: "greet" })]), [inv(1, 0, 5)]);
    expect(formatHistory(history).split("\n")[1]).toBe('  2 StepStarted (Step) name="greet" id=s1 {}');
  });
});
