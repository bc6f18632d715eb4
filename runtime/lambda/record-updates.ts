// Between the journal's records (whole states) and Lambda's wire (operations it returns,
// OperationUpdates it takes: an action per state transition).
import type { ErrorObject, OperationRecord } from "../operation-model.js";
import { lambdaOperationId } from "./operation-ids.js";
import type { OperationUpdate, WireOperation } from "./wire.js";

/** Lambda's limit on an update that carries an error; a longer stack trace is cut to fit. */
export const MAX_ERROR_UPDATE_BYTES = 32 * 1024;

const date = (value: Date | string | undefined): Date | undefined => (value === undefined || value === null ? undefined : new Date(value));

/** A wire operation as a journal record, under its keyed id (see operation-ids.ts). */
export function toRecord(op: WireOperation, keyed: (wireId: string) => string): OperationRecord {
  const record: OperationRecord = { ...(op as unknown as OperationRecord), Id: keyed(op.Id), StartTimestamp: date(op.StartTimestamp) ?? new Date(0) };
  if (op.ParentId !== undefined && op.ParentId !== null) record.ParentId = keyed(op.ParentId);
  if (op.EndTimestamp !== undefined) record.EndTimestamp = date(op.EndTimestamp);
  if (op.StepDetails) record.StepDetails = { ...op.StepDetails, NextAttemptTimestamp: date(op.StepDetails.NextAttemptTimestamp) };
  if (op.WaitDetails) record.WaitDetails = { ScheduledEndTimestamp: date(op.WaitDetails.ScheduledEndTimestamp) };
  return record;
}

/**
 * The updates that take an operation from its previous state to `record`, in order. A new
 * step or context that is already complete (context.now(), a patch marker, a step whose
 * start was not awaited) starts and completes in one batch, as Lambda allows. A wait that
 * has run its time is completed by the service itself: nothing to send.
 */
export function updatesFor(record: OperationRecord, previous: OperationRecord | undefined, now: number): OperationUpdate[] {
  const base = {
    Id: lambdaOperationId(record.Id),
    ...(record.ParentId !== undefined && { ParentId: lambdaOperationId(record.ParentId) }),
    ...(record.Name !== undefined && { Name: record.Name }),
    Type: record.Type,
    ...(record.SubType !== undefined && { SubType: record.SubType }),
  };
  const start = (extra: Partial<OperationUpdate> = {}): OperationUpdate => ({ ...base, Action: "START", ...extra });
  const startFirst = previous === undefined ? [start()] : [];
  const cannot = () =>
    new Error(`replayable cannot send ${record.Type} ${record.Id} from ${previous?.Status ?? "nothing"} to ${record.Status} to Lambda: the protocol has no action for it.`);

  switch (record.Type) {
    case "STEP": {
      const details = record.StepDetails;
      switch (record.Status) {
        case "STARTED":
          return previous?.Status === "STARTED" ? [] : [start()];
        case "SUCCEEDED":
          return [...startFirst, { ...base, Action: "SUCCEED", Payload: details?.Result }];
        case "FAILED":
          return [...startFirst, { ...base, Action: "FAIL", Error: fitError(details?.Error) }];
        case "PENDING": {
          // Whole seconds, rounded up: the checkpoint leaves a little after the delay was decided.
          const delayMs = (details?.NextAttemptTimestamp?.getTime() ?? now) - now;
          const retry: OperationUpdate = { ...base, Action: "RETRY", StepOptions: { NextAttemptDelaySeconds: Math.max(0, Math.ceil(delayMs / 1000)) } };
          // A waitForCondition check carries its state to the next check; a failed attempt, its error.
          if (details?.Error !== undefined) retry.Error = fitError(details.Error);
          else if (details?.Result !== undefined) retry.Payload = details.Result;
          return [...startFirst, retry];
        }
      }
      throw cannot();
    }
    case "CONTEXT": {
      const replayChildren = record.ContextDetails?.ReplayChildren;
      const options = replayChildren === undefined ? {} : { ContextOptions: { ReplayChildren: replayChildren } };
      switch (record.Status) {
        case "STARTED":
          return previous ? [] : [start(options)];
        case "SUCCEEDED":
          return [...startFirst, { ...base, Action: "SUCCEED", Payload: record.ContextDetails?.Result, ...options }];
        case "FAILED":
          return [...startFirst, { ...base, Action: "FAIL", Error: fitError(record.ContextDetails?.Error) }];
      }
      throw cannot();
    }
    case "WAIT":
      if (record.Status === "STARTED") return previous ? [] : [start({ WaitOptions: { WaitSeconds: record.WaitOptions?.WaitSeconds ?? 0 } })];
      if (record.Status === "SUCCEEDED") return [];
      if (record.Status === "CANCELLED") return [{ ...base, Action: "CANCEL" }];
      throw cannot();
    case "CALLBACK": {
      if (record.Status === "CANCELLED") return [{ ...base, Action: "CANCEL" }];
      if (record.Status !== "STARTED") throw cannot();
      const { TimeoutSeconds, HeartbeatTimeoutSeconds } = record.CallbackOptions ?? {};
      const options = { ...(TimeoutSeconds !== undefined && { TimeoutSeconds }), ...(HeartbeatTimeoutSeconds !== undefined && { HeartbeatTimeoutSeconds }) };
      return previous ? [] : [start({ CallbackOptions: options })];
    }
    case "CHAINED_INVOKE": {
      if (record.Status === "CANCELLED" || record.Status === "STOPPED") return [{ ...base, Action: "CANCEL" }];
      if (record.Status !== "STARTED") throw cannot();
      const invoke = record.ChainedInvokeOptions;
      const options = { FunctionName: invoke?.FunctionName, ...(invoke?.TenantId !== undefined && { TenantId: invoke.TenantId }) };
      return previous ? [] : [start({ ChainedInvokeOptions: options, Payload: invoke?.InputPayload })];
    }
    case "EXECUTION":
      throw cannot();
  }
}

/** An error that fits Lambda's limit on error updates: the stack trace goes first, then the tail of the message. */
export function fitError(error: ErrorObject | undefined): ErrorObject | undefined {
  if (error === undefined) return undefined;
  const size = (e: ErrorObject) => Buffer.byteLength(JSON.stringify(e), "utf8") + 512; // room for the rest of the update
  if (size(error) <= MAX_ERROR_UPDATE_BYTES) return error;
  const withoutStack: ErrorObject = { ...error, StackTrace: undefined };
  if (size(withoutStack) <= MAX_ERROR_UPDATE_BYTES) return withoutStack;
  const room = MAX_ERROR_UPDATE_BYTES / 4;
  const cut = (text: string | undefined) => (text !== undefined && text.length > room ? `${text.slice(0, room)}... (cut to fit Lambda's ${MAX_ERROR_UPDATE_BYTES}-byte error limit)` : text);
  return { ...withoutStack, ErrorMessage: cut(error.ErrorMessage), ErrorData: cut(error.ErrorData) };
}
