// The durable execution wire protocol as the official SDK (@aws/durable-execution-sdk-js
// 2.4.0) speaks it to the service. The shapes live with the runtime's side of the protocol
// (runtime/lambda/wire.ts); what only the service does with them is here.
import type { OperationRecord } from "../../runtime/operation-model.js";
import type { WireOperation } from "../../runtime/lambda/wire.js";

export type * from "../../runtime/lambda/wire.js";

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
