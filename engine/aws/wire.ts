// The durable execution wire protocol as the official SDK (@aws/durable-execution-sdk-js
// 2.4.0) speaks it to the service: declared here, not imported, so the engine does not
// depend on the SDK. The shapes follow the SDK's types/wire/wire-model.d.ts.
import type { ErrorObject, OperationRecord, OperationStatus, OperationType } from "../../runtime/operation-model.js";

export type OperationAction = "START" | "SUCCEED" | "FAIL" | "RETRY" | "CANCEL";

/** An operation as the service returns it: timestamps are Dates in API responses, ISO strings in the invocation event. */
export interface WireOperation {
  Id: string;
  ParentId?: string | undefined;
  Name?: string | undefined;
  Type: OperationType;
  SubType?: string | undefined;
  Status: OperationStatus;
  StartTimestamp: Date | string | undefined;
  EndTimestamp?: Date | string | undefined;
  ExecutionDetails?: { InputPayload?: string | undefined } | undefined;
  ContextDetails?: { ReplayChildren?: boolean | undefined; Result?: string | undefined; Error?: ErrorObject | undefined } | undefined;
  StepDetails?:
    | { Attempt?: number | undefined; NextAttemptTimestamp?: Date | string | undefined; Result?: string | undefined; Error?: ErrorObject | undefined }
    | undefined;
  WaitDetails?: { ScheduledEndTimestamp?: Date | string | undefined } | undefined;
  CallbackDetails?: { CallbackId?: string | undefined; Result?: string | undefined; Error?: ErrorObject | undefined } | undefined;
  ChainedInvokeDetails?: { Result?: string | undefined; Error?: ErrorObject | undefined } | undefined;
}

/** One requested state transition in a checkpoint (the SDK's OperationUpdate). */
export interface OperationUpdate {
  Id: string | undefined;
  ParentId?: string | undefined;
  Name?: string | undefined;
  Type: OperationType | undefined;
  SubType?: string | undefined;
  Action: OperationAction | undefined;
  Payload?: string | undefined;
  Error?: ErrorObject | undefined;
  ContextOptions?: { ReplayChildren?: boolean | undefined } | undefined;
  StepOptions?: { NextAttemptDelaySeconds?: number | undefined } | undefined;
  WaitOptions?: { WaitSeconds?: number | undefined } | undefined;
  CallbackOptions?: { TimeoutSeconds?: number | undefined; HeartbeatTimeoutSeconds?: number | undefined } | undefined;
  ChainedInvokeOptions?: { FunctionName: string | undefined; TenantId?: string | undefined } | undefined;
}

export interface CheckpointDurableExecutionRequest {
  DurableExecutionArn: string | undefined;
  CheckpointToken: string | undefined;
  Updates?: OperationUpdate[] | undefined;
  ClientToken?: string | undefined;
}

export interface CheckpointDurableExecutionResponse {
  CheckpointToken?: string | undefined;
  NewExecutionState: { Operations?: WireOperation[] | undefined; NextMarker?: string | undefined } | undefined;
}

export interface GetDurableExecutionStateRequest {
  DurableExecutionArn: string | undefined;
  CheckpointToken: string | undefined;
  Marker?: string | undefined;
  MaxItems?: number | undefined;
}

export interface GetDurableExecutionStateResponse {
  Operations: WireOperation[] | undefined;
  NextMarker?: string | undefined;
}

/** What the SDK calls through `durableExecutionClient` (its DurableExecutionClient interface). */
export interface DurableExecutionClient {
  getExecutionState(params: GetDurableExecutionStateRequest): Promise<GetDurableExecutionStateResponse>;
  checkpoint(params: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse>;
}

/** The Lambda event the service sends a durable function (the SDK's DurableExecutionInvocationInput). */
export interface DurableExecutionInvocationInput {
  DurableExecutionArn: string;
  CheckpointToken: string;
  /** Operations whose state changed outside the function since its previous invocation; absent when unknown. */
  UpdatedOperationIds?: string[] | undefined;
  InitialExecutionState: { Operations: WireOperation[]; NextMarker?: string | undefined };
}

/** What the SDK's handler returns (its DurableExecutionInvocationOutput). */
export interface DurableExecutionInvocationOutput {
  Status: string;
  Result?: string | undefined;
  Error?: ErrorObject | undefined;
}

/**
 * A record as the service would return it: replayable's record format follows the AWS
 * operation model, so this drops only what the service keeps beside an operation (the
 * request options, the last heartbeat) and replayable's own source position.
 */
export function toWireOperation(record: OperationRecord, timestamps: "date" | "iso"): WireOperation {
  const time = (value: Date | undefined) => (value === undefined ? undefined : timestamps === "iso" ? value.toISOString() : new Date(value.getTime()));
  const operation: WireOperation = {
    Id: record.Id,
    Type: record.Type,
    Status: record.Status,
    StartTimestamp: time(record.StartTimestamp),
  };
  if (record.ParentId !== undefined) operation.ParentId = record.ParentId;
  if (record.Name !== undefined) operation.Name = record.Name;
  if (record.SubType !== undefined) operation.SubType = record.SubType;
  if (record.EndTimestamp !== undefined) operation.EndTimestamp = time(record.EndTimestamp);
  if (record.ExecutionDetails) operation.ExecutionDetails = { InputPayload: record.ExecutionDetails.InputPayload };
  if (record.ContextDetails) {
    const { Result, Error, ReplayChildren } = record.ContextDetails;
    operation.ContextDetails = defined({ Result, Error, ReplayChildren });
  }
  if (record.StepDetails) {
    const { Attempt, NextAttemptTimestamp, Result, Error } = record.StepDetails;
    operation.StepDetails = defined({ Attempt, NextAttemptTimestamp: time(NextAttemptTimestamp), Result, Error });
  }
  if (record.WaitDetails) operation.WaitDetails = defined({ ScheduledEndTimestamp: time(record.WaitDetails.ScheduledEndTimestamp) });
  if (record.CallbackDetails) {
    const { CallbackId, Result, Error } = record.CallbackDetails;
    operation.CallbackDetails = defined({ CallbackId, Result, Error });
  }
  if (record.ChainedInvokeDetails) {
    const { Result, Error } = record.ChainedInvokeDetails;
    operation.ChainedInvokeDetails = defined({ Result, Error });
  }
  return operation;
}

function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}

/**
 * The records the service hands a function (in the invocation event and from
 * GetDurableExecutionState): the EXECUTION operation first (the SDK reads the input from
 * the first operation), and without the descendants of a completed child context unless
 * it asked to keep them (ReplayChildren): a completed context is not re-entered on replay.
 */
export function visibleOperations(records: Iterable<OperationRecord>): OperationRecord[] {
  const byId = new Map<string, OperationRecord>();
  for (const record of records) byId.set(record.Id, record);
  const pruned = new Map<string, boolean>();
  const isPruned = (record: OperationRecord): boolean => {
    const known = pruned.get(record.Id);
    if (known !== undefined) return known;
    pruned.set(record.Id, false); // a cycle of parents (never written by the SDK) prunes nothing
    const parent = record.ParentId === undefined ? undefined : byId.get(record.ParentId);
    const result =
      parent !== undefined &&
      parent.Type === "CONTEXT" &&
      (parent.Status === "SUCCEEDED" || parent.Status === "FAILED") &&
      (!parent.ContextDetails?.ReplayChildren || isPruned(parent));
    pruned.set(record.Id, result);
    return result;
  };
  const visible = [...byId.values()].filter((record) => !isPruned(record));
  return [...visible.filter((r) => r.Type === "EXECUTION"), ...visible.filter((r) => r.Type !== "EXECUTION")];
}
