// An execution's history in AWS's event vocabulary (GetDurableExecutionHistory), built from
// what the engine committed: every state an operation record went through, in commit order,
// and the invocations that wrote them. A pure function: no store, no clock.
//
// The rules, as the AWS service records a history:
// - EventId 1 is ExecutionStarted; ExecutionSucceeded / ExecutionFailed / ExecutionTimedOut /
//   ExecutionStopped is last, after the last InvocationCompleted.
// - Each status transition of an operation record is one event: STARTED -> <Type>Started,
//   SUCCEEDED -> <Type>Succeeded, FAILED -> <Type>Failed, TIMED_OUT -> <Type>TimedOut, ...
//   A record written again in the same state is no event (a step re-run after a crash writes
//   no second StepStarted). An operation whose first committed state is already past STARTED
//   gets its Started event at the same moment, as the service records a START for every
//   operation.
// - STEP records: PENDING is an attempt that ended with a retry scheduled: StepFailed with
//   RetryDetails {CurrentAttempt, NextAttemptDelaySeconds} when it carries an error, StepSucceeded
//   with RetryDetails when it carries a result (a waitForCondition poll that continues). READY
//   (the retry came due) is no event; the next attempt's STARTED is a new StepStarted, and an
//   outcome reached without one (a READY step completed directly) gets one. CurrentAttempt is
//   StepDetails.Attempt of the outcome record: the 1-based attempt that produced it.
// - InvocationCompleted closes every finished invocation, after the updates that invocation
//   wrote and before the updates written after it ended (a wait that fired, a callback that
//   completed, a retry that came due: the service's own transitions between invocations).
//   An update belongs after invocation k when it names a later invocation, or when it was
//   committed after invocation k ended.
// - replayable's own records (context.now(), context.patched(): STEP records with SubType "Now"
//   and "Patch", see ReplayableSubType) are durable checkpoints with no AWS counterpart. They
//   appear as steps with those sub types (StepStarted, StepSucceeded), so EventIds count every
//   checkpoint the store holds; `replayableRecords: "omit"` leaves them out (a handler written
//   for the AWS SDK never writes them).
import { ReplayableSubType, type ErrorObject, type OperationRecord } from "../runtime/operation-model.js";

export type HistoryEventType =
  | "ExecutionStarted"
  | "ExecutionSucceeded"
  | "ExecutionFailed"
  | "ExecutionTimedOut"
  | "ExecutionStopped"
  | "ContextStarted"
  | "ContextSucceeded"
  | "ContextFailed"
  | "WaitStarted"
  | "WaitSucceeded"
  | "WaitCancelled"
  | "StepStarted"
  | "StepSucceeded"
  | "StepFailed"
  | "ChainedInvokeStarted"
  | "ChainedInvokeSucceeded"
  | "ChainedInvokeFailed"
  | "ChainedInvokeTimedOut"
  | "ChainedInvokeStopped"
  | "CallbackStarted"
  | "CallbackSucceeded"
  | "CallbackFailed"
  | "CallbackTimedOut"
  | "InvocationCompleted";

/** { Payload } as AWS's EventResult / EventInput; no Payload for an operation that produced none. */
export interface EventPayload {
  Payload?: string | undefined;
  Truncated?: boolean | undefined;
}
export interface EventError {
  Payload?: ErrorObject | undefined;
  Truncated?: boolean | undefined;
}
export interface RetryDetails {
  CurrentAttempt?: number | undefined;
  NextAttemptDelaySeconds?: number | undefined;
}

/** One event, shaped as @aws-sdk/client-lambda's `Event` (only the details of its own type). */
export interface HistoryEvent {
  EventType: HistoryEventType;
  SubType?: string | undefined;
  EventId: number;
  Id?: string | undefined;
  Name?: string | undefined;
  EventTimestamp: Date;
  ParentId?: string | undefined;
  ExecutionStartedDetails?: { Input: EventPayload; ExecutionTimeout?: number | undefined };
  ExecutionSucceededDetails?: { Result: EventPayload };
  ExecutionFailedDetails?: { Error: EventError };
  ExecutionTimedOutDetails?: { Error?: EventError | undefined };
  ExecutionStoppedDetails?: { Error: EventError };
  ContextStartedDetails?: Record<string, never>;
  ContextSucceededDetails?: { Result: EventPayload };
  ContextFailedDetails?: { Error: EventError };
  WaitStartedDetails?: { Duration: number | undefined; ScheduledEndTimestamp: Date | undefined };
  WaitSucceededDetails?: { Duration?: number | undefined };
  WaitCancelledDetails?: { Error?: EventError | undefined };
  StepStartedDetails?: Record<string, never>;
  StepSucceededDetails?: { Result: EventPayload; RetryDetails: RetryDetails };
  StepFailedDetails?: { Error: EventError; RetryDetails: RetryDetails };
  ChainedInvokeStartedDetails?: {
    FunctionName: string | undefined;
    TenantId?: string | undefined;
    Input: EventPayload;
    ExecutedVersion: string | undefined;
    DurableExecutionArn: string | undefined;
  };
  ChainedInvokeSucceededDetails?: { Result: EventPayload };
  ChainedInvokeFailedDetails?: { Error: EventError };
  ChainedInvokeTimedOutDetails?: { Error: EventError };
  ChainedInvokeStoppedDetails?: { Error: EventError };
  CallbackStartedDetails?: { CallbackId: string | undefined; HeartbeatTimeout?: number | undefined; Timeout?: number | undefined };
  CallbackSucceededDetails?: { Result: EventPayload };
  CallbackFailedDetails?: { Error: EventError };
  CallbackTimedOutDetails?: { Error: EventError };
  InvocationCompletedDetails?: { StartTimestamp: Date; EndTimestamp: Date; RequestId: string | undefined; Error?: EventError | undefined };
}

/**
 * The execution, as far as its history needs it. The field names are those of the engine's
 * ExecutionRow (engine/store.ts), so a row can be passed as it is.
 */
export interface HistoryExecution {
  executionId: string;
  /** JSON text of the input event. */
  input?: string | undefined;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED";
  /** JSON text of the result. */
  result?: string | undefined;
  error?: ErrorObject | undefined;
  /** ms since epoch */
  createdAt: number;
  endedAt?: number | undefined;
  /** Seconds, for ExecutionStartedDetails.ExecutionTimeout. */
  executionTimeoutSeconds?: number | undefined;
}

/** One committed state of one operation record. */
export interface OperationUpdate {
  /** Commit order (increasing). */
  sequence: number;
  /** When it was committed, ms since epoch. */
  at: number;
  /** The invocation that wrote it (1-based); a later number for a state the engine set between invocations. */
  invocation: number;
  record: OperationRecord;
}

/** One run of the handler. */
export interface InvocationBoundary {
  /** 1-based, as OperationUpdate.invocation. */
  invocation: number;
  startedAt: number;
  /** Undefined while it runs: no InvocationCompleted yet. */
  endedAt?: number | undefined;
  requestId?: string | undefined;
  /** What the invocation returned: the execution ended, or it suspended (informational). */
  outcome?: "SUCCEEDED" | "FAILED" | "PENDING" | undefined;
  /** The invocation itself failed (the process crashed: Runtime.ExitError; it timed out): InvocationCompletedDetails.Error. */
  error?: ErrorObject | undefined;
}

export interface HistoryOptions {
  /** replayable's context.now()/patched() records: as steps (default) or left out. */
  replayableRecords?: "include" | "omit";
  /** ChainedInvokeStartedDetails' ExecutedVersion and DurableExecutionArn for an invoke; defaults: "$LATEST" and a local ARN. */
  describeInvoke?: (record: OperationRecord) => { executedVersion?: string | undefined; durableExecutionArn?: string | undefined };
}

const REPLAYABLE_SUB_TYPES = new Set<string>(Object.values(ReplayableSubType));
const TERMINAL_EVENT = {
  SUCCEEDED: "ExecutionSucceeded",
  FAILED: "ExecutionFailed",
  TIMED_OUT: "ExecutionTimedOut",
  STOPPED: "ExecutionStopped",
} as const;

type Draft = Omit<HistoryEvent, "EventId">;

export function buildHistory(
  execution: HistoryExecution,
  updates: readonly OperationUpdate[],
  invocations: readonly InvocationBoundary[],
  options: HistoryOptions = {},
): HistoryEvent[] {
  const drafts: Draft[] = [
    {
      EventType: "ExecutionStarted",
      Id: execution.executionId,
      EventTimestamp: new Date(execution.createdAt),
      ExecutionStartedDetails: { Input: payload(execution.input), ExecutionTimeout: execution.executionTimeoutSeconds },
    },
  ];
  const ended = invocations.filter((i) => i.endedAt !== undefined).sort((a, b) => a.invocation - b.invocation);
  let next = 0;
  const closeInvocationsBefore = (update: OperationUpdate | undefined) => {
    while (next < ended.length) {
      const inv = ended[next]!;
      if (update && update.invocation <= inv.invocation && update.at <= inv.endedAt!) return;
      drafts.push(invocationCompleted(inv));
      next++;
    }
  };

  const previous = new Map<string, OperationRecord>();
  const ordered = [...updates].sort((a, b) => a.sequence - b.sequence);
  for (const update of ordered) {
    closeInvocationsBefore(update);
    const record = update.record;
    if (record.Type === "EXECUTION") continue;
    if (options.replayableRecords === "omit" && record.SubType !== undefined && REPLAYABLE_SUB_TYPES.has(record.SubType)) continue;
    drafts.push(...transition(previous.get(record.Id), record, update.at, execution, options));
    previous.set(record.Id, record);
  }
  closeInvocationsBefore(undefined);

  if (execution.status !== "RUNNING") {
    const type = TERMINAL_EVENT[execution.status];
    const at = new Date(execution.endedAt ?? Math.max(execution.createdAt, ...ordered.map((u) => u.at), ...ended.map((i) => i.endedAt!)));
    const base = { EventType: type, Id: execution.executionId, EventTimestamp: at } as const;
    if (type === "ExecutionSucceeded") drafts.push({ ...base, ExecutionSucceededDetails: { Result: payload(execution.result) } });
    else if (type === "ExecutionFailed") drafts.push({ ...base, ExecutionFailedDetails: { Error: eventError(execution.error) } });
    else if (type === "ExecutionTimedOut") drafts.push({ ...base, ExecutionTimedOutDetails: { Error: execution.error && eventError(execution.error) } });
    else drafts.push({ ...base, ExecutionStoppedDetails: { Error: eventError(execution.error) } });
  }
  return drafts.map((draft, i) => ({ ...draft, EventId: i + 1 }) as HistoryEvent);
}

function invocationCompleted(inv: InvocationBoundary): Draft {
  return {
    EventType: "InvocationCompleted",
    EventTimestamp: new Date(inv.endedAt!),
    InvocationCompletedDetails: {
      StartTimestamp: new Date(inv.startedAt),
      EndTimestamp: new Date(inv.endedAt!),
      RequestId: inv.requestId,
      ...(inv.error ? { Error: eventError(inv.error) } : {}),
    },
  };
}

/** The events one committed state of a record adds, given its state before. */
function transition(before: OperationRecord | undefined, record: OperationRecord, at: number, execution: HistoryExecution, options: HistoryOptions): Draft[] {
  const base: Draft = {
    EventType: "StepStarted",
    SubType: record.SubType,
    Id: record.Id,
    Name: record.Name,
    EventTimestamp: new Date(at),
    ParentId: record.ParentId,
  };
  const status = record.Status;
  if (status === "READY") return [];
  const unchanged = before !== undefined && before.Status === status && (record.Type !== "STEP" || before.StepDetails?.Attempt === record.StepDetails?.Attempt);
  if (unchanged) return [];
  const started = startedEvent(base, record, execution, options);
  if (status === "STARTED") return [started];
  // An outcome without a committed start (of this attempt, for a step) gets its Started event.
  const events = before?.Status === "STARTED" ? [] : [started];
  const outcome = outcomeEvent(base, record, at);
  return outcome ? [...events, outcome] : events;
}

function startedEvent(base: Draft, record: OperationRecord, execution: HistoryExecution, options: HistoryOptions): Draft {
  switch (record.Type) {
    case "STEP":
      return { ...base, EventType: "StepStarted", StepStartedDetails: {} };
    case "CONTEXT":
      return { ...base, EventType: "ContextStarted", ContextStartedDetails: {} };
    case "WAIT":
      return {
        ...base,
        EventType: "WaitStarted",
        WaitStartedDetails: { Duration: waitSeconds(record), ScheduledEndTimestamp: record.WaitDetails?.ScheduledEndTimestamp },
      };
    case "CALLBACK":
      return {
        ...base,
        EventType: "CallbackStarted",
        CallbackStartedDetails: {
          CallbackId: record.CallbackDetails?.CallbackId,
          ...defined("Timeout", record.CallbackOptions?.TimeoutSeconds || undefined),
          ...defined("HeartbeatTimeout", record.CallbackOptions?.HeartbeatTimeoutSeconds || undefined),
        },
      };
    case "CHAINED_INVOKE": {
      const described = options.describeInvoke?.(record) ?? {};
      const invokeOptions = record.ChainedInvokeOptions;
      return {
        ...base,
        EventType: "ChainedInvokeStarted",
        ChainedInvokeStartedDetails: {
          FunctionName: invokeOptions?.FunctionName,
          ...defined("TenantId", invokeOptions?.TenantId),
          Input: payload(invokeOptions?.InputPayload),
          ExecutedVersion: described.executedVersion ?? "$LATEST",
          DurableExecutionArn: described.durableExecutionArn ?? `arn:replayable:local:execution/${execution.executionId}/${record.Id}`,
        },
      };
    }
    default:
      throw new Error(`Operation ${record.Id} has type ${record.Type}, which has no history events`);
  }
}

function outcomeEvent(base: Draft, record: OperationRecord, at: number): Draft | undefined {
  const status = record.Status;
  switch (record.Type) {
    case "STEP": {
      const d = record.StepDetails;
      const retry: RetryDetails = { ...defined("CurrentAttempt", d?.Attempt) };
      if (status === "PENDING") {
        const nextAt = d?.NextAttemptTimestamp?.getTime();
        if (nextAt !== undefined) retry.NextAttemptDelaySeconds = Math.max(0, Math.round((nextAt - at) / 1000));
        if (d?.Error) return { ...base, EventType: "StepFailed", StepFailedDetails: { Error: eventError(d.Error), RetryDetails: retry } };
        return { ...base, EventType: "StepSucceeded", StepSucceededDetails: { Result: payload(d?.Result), RetryDetails: retry } };
      }
      if (status === "SUCCEEDED") return { ...base, EventType: "StepSucceeded", StepSucceededDetails: { Result: payload(d?.Result), RetryDetails: retry } };
      return { ...base, EventType: "StepFailed", StepFailedDetails: { Error: eventError(d?.Error), RetryDetails: retry } };
    }
    case "CONTEXT": {
      const d = record.ContextDetails;
      if (status === "SUCCEEDED") return { ...base, EventType: "ContextSucceeded", ContextSucceededDetails: { Result: payload(d?.Result) } };
      if (status === "PENDING") return undefined;
      return { ...base, EventType: "ContextFailed", ContextFailedDetails: { Error: eventError(d?.Error) } };
    }
    case "WAIT": {
      if (status === "SUCCEEDED") return { ...base, EventType: "WaitSucceeded", WaitSucceededDetails: { Duration: waitSeconds(record) } };
      if (status === "PENDING") return undefined;
      return { ...base, EventType: "WaitCancelled", WaitCancelledDetails: {} };
    }
    case "CALLBACK": {
      const d = record.CallbackDetails;
      if (status === "SUCCEEDED") return { ...base, EventType: "CallbackSucceeded", CallbackSucceededDetails: { Result: payload(d?.Result) } };
      if (status === "TIMED_OUT") return { ...base, EventType: "CallbackTimedOut", CallbackTimedOutDetails: { Error: eventError(callbackTimeoutError(record)) } };
      if (status === "PENDING") return undefined;
      return { ...base, EventType: "CallbackFailed", CallbackFailedDetails: { Error: eventError(d?.Error) } };
    }
    case "CHAINED_INVOKE": {
      const d = record.ChainedInvokeDetails;
      if (status === "SUCCEEDED") return { ...base, EventType: "ChainedInvokeSucceeded", ChainedInvokeSucceededDetails: { Result: payload(d?.Result) } };
      if (status === "TIMED_OUT") return { ...base, EventType: "ChainedInvokeTimedOut", ChainedInvokeTimedOutDetails: { Error: eventError(d?.Error) } };
      if (status === "STOPPED" || status === "CANCELLED") return { ...base, EventType: "ChainedInvokeStopped", ChainedInvokeStoppedDetails: { Error: eventError(d?.Error) } };
      if (status === "PENDING") return undefined;
      return { ...base, EventType: "ChainedInvokeFailed", ChainedInvokeFailedDetails: { Error: eventError(d?.Error) } };
    }
    default:
      return undefined;
  }
}

/**
 * The service's error types for a callback that timed out: "Callback.Timeout" (its timeout
 * passed) or "Callback.Heartbeat" (no heartbeat within the heartbeat timeout). A record that
 * already carries one keeps it; otherwise the kind is inferred from the options and times.
 */
function callbackTimeoutError(record: OperationRecord): ErrorObject {
  const recorded = record.CallbackDetails?.Error;
  if (recorded?.ErrorType === "Callback.Timeout" || recorded?.ErrorType === "Callback.Heartbeat") return recorded;
  const timeout = record.CallbackOptions?.TimeoutSeconds;
  const heartbeat = record.CallbackOptions?.HeartbeatTimeoutSeconds;
  const lasted = record.EndTimestamp ? (record.EndTimestamp.getTime() - record.StartTimestamp.getTime()) / 1000 : undefined;
  const byHeartbeat = heartbeat !== undefined && heartbeat > 0 && (!timeout || (lasted !== undefined && lasted < timeout));
  return {
    ErrorType: byHeartbeat ? "Callback.Heartbeat" : "Callback.Timeout",
    ErrorMessage: recorded?.ErrorMessage ?? (byHeartbeat ? "Callback heartbeat timed out" : "Callback timed out"),
  };
}

function waitSeconds(record: OperationRecord): number | undefined {
  const seconds = record.WaitOptions?.WaitSeconds;
  if (seconds !== undefined) return seconds;
  const end = record.WaitDetails?.ScheduledEndTimestamp;
  return end ? Math.round((end.getTime() - record.StartTimestamp.getTime()) / 1000) : undefined;
}

/** As the service reports payloads: Truncated is false (local payloads are never cut). */
function payload(text: string | undefined): EventPayload {
  return text === undefined ? {} : { Payload: text, Truncated: false };
}

function eventError(error: ErrorObject | undefined): EventError {
  if (!error) return {};
  const out: ErrorObject = {};
  if (error.ErrorType !== undefined) out.ErrorType = error.ErrorType;
  if (error.ErrorMessage !== undefined) out.ErrorMessage = error.ErrorMessage;
  if (error.ErrorData !== undefined) out.ErrorData = error.ErrorData;
  if (error.StackTrace !== undefined) out.StackTrace = error.StackTrace;
  return { Payload: out, Truncated: false };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** One line per event, for failure messages and `show --history`. */
export function formatHistory(events: readonly HistoryEvent[]): string {
  return events
    .map((e) => {
      const details = Object.entries(e).find(([k]) => k.endsWith("Details"))?.[1];
      const who = [e.SubType && `(${e.SubType})`, e.Name !== undefined && `name=${JSON.stringify(e.Name)}`, e.Id && `id=${e.Id}`, e.ParentId && `parent=${e.ParentId}`]
        .filter(Boolean)
        .join(" ");
      return `${String(e.EventId).padStart(3)} ${e.EventType}${who ? ` ${who}` : ""} ${JSON.stringify(details ?? {})}`;
    })
    .join("\n");
}
