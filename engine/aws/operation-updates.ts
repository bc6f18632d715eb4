// How the service applies a checkpoint's OperationUpdates: which actions each operation
// type accepts in which state, and the state each action leaves. Pure: the caller commits.
import type { ErrorObject, OperationRecord, OperationType } from "../../runtime/operation-model.js";
import { MAX_ERROR_UPDATE_BYTES } from "../../runtime/lambda/record-updates.js";
import { invalidUpdate } from "./service-errors.js";
import type { OperationAction, OperationUpdate } from "./wire.js";

const ACTIONS: Record<OperationType, readonly OperationAction[]> = {
  STEP: ["START", "SUCCEED", "FAIL", "RETRY"],
  CONTEXT: ["START", "SUCCEED", "FAIL"],
  WAIT: ["START", "CANCEL"],
  CALLBACK: ["START", "CANCEL"],
  CHAINED_INVOKE: ["START", "CANCEL"],
  EXECUTION: ["SUCCEED", "FAIL"],
};

export type ExecutionEnd = { status: "SUCCEEDED"; result: string | undefined } | { status: "FAILED"; error: ErrorObject };

export interface AppliedUpdates {
  /** New states, in update order; an operation started and completed in one batch appears twice. */
  records: OperationRecord[];
  /** The function ended the execution itself (an EXECUTION update: the SDK's path for results too large to return). */
  executionEnd?: ExecutionEnd | undefined;
}

export interface UpdateContext {
  /** The operation's state before this batch. */
  lookup: (id: string) => OperationRecord | undefined;
  now: Date;
  /** A new callback id: unguessable, since whoever holds it can complete the callback. */
  newCallbackId: () => string;
}

/**
 * Validates a checkpoint's updates as a whole (an invalid one rejects the whole batch,
 * nothing is applied) and returns the operations' new states.
 */
export function applyUpdates(updates: readonly OperationUpdate[], context: UpdateContext): AppliedUpdates {
  const executionUpdates = updates.filter((u) => u.Type === "EXECUTION");
  if (executionUpdates.length > 1) throw invalidUpdate("Cannot checkpoint multiple EXECUTION updates.");
  if (executionUpdates.length === 1 && updates[updates.length - 1]!.Type !== "EXECUTION") throw invalidUpdate("EXECUTION checkpoint must be the last update.");

  const batch = new Map<string, OperationRecord>();
  const lastUpdate = new Map<string, OperationUpdate>();
  const current = (id: string) => batch.get(id) ?? context.lookup(id);
  const records: OperationRecord[] = [];
  let executionEnd: ExecutionEnd | undefined;

  for (const update of updates) {
    const id = update.Id;
    if (typeof id !== "string" || id.length === 0) throw invalidUpdate("Operation update must have an Id.");
    const type = update.Type;
    if (type === undefined || !Object.hasOwn(ACTIONS, type)) throw invalidUpdate(`Unknown operation type ${JSON.stringify(type)} in the update of operation ${id}.`);
    if (update.Action === undefined || !ACTIONS[type].includes(update.Action)) {
      throw invalidUpdate(`Invalid action ${JSON.stringify(update.Action)} for a ${type} operation (${id}); allowed: ${ACTIONS[type].join(", ")}.`);
    }
    if (update.Error != null && Buffer.byteLength(JSON.stringify(update), "utf8") > MAX_ERROR_UPDATE_BYTES) {
      throw invalidUpdate(`Error object size must be less than ${MAX_ERROR_UPDATE_BYTES} bytes (operation ${id}).`);
    }
    const previous = lastUpdate.get(id);
    if (previous && !((previous.Type === "STEP" || previous.Type === "CONTEXT") && previous.Action === "START" && update.Action !== "START")) {
      throw invalidUpdate(`Cannot update the same operation twice in a single request (operation ${id}).`);
    }
    if (update.ParentId !== undefined && update.ParentId !== null) {
      const parent = current(update.ParentId);
      if (!parent || parent.Type !== "CONTEXT") throw invalidUpdate(`Invalid parent operation id ${update.ParentId} for operation ${id}: a parent must be a CONTEXT operation already checkpointed.`);
    }
    lastUpdate.set(id, update);

    if (type === "EXECUTION") {
      executionEnd = applyExecutionUpdate(update);
      continue;
    }
    const record = applyUpdate(update as OperationUpdate & { Id: string; Type: OperationType; Action: OperationAction }, current(id), context);
    batch.set(id, record);
    records.push(record);
  }
  return { records, executionEnd };
}

function applyExecutionUpdate(update: OperationUpdate): ExecutionEnd {
  if (update.Action === "SUCCEED") {
    if (update.Error != null) throw invalidUpdate("Cannot provide an Error for SUCCEED action.");
    return { status: "SUCCEEDED", result: update.Payload };
  }
  if (update.Payload != null) throw invalidUpdate("Cannot provide a Payload for FAIL action.");
  return { status: "FAILED", error: update.Error ?? {} };
}

type ValidUpdate = OperationUpdate & { Id: string; Type: OperationType; Action: OperationAction };

function applyUpdate(update: ValidUpdate, existing: OperationRecord | undefined, context: UpdateContext): OperationRecord {
  const { now } = context;
  const base: OperationRecord = existing ?? {
    Id: update.Id,
    ...(update.ParentId != null && { ParentId: update.ParentId }),
    ...(update.Name != null && { Name: update.Name }),
    Type: update.Type,
    ...(update.SubType != null && { SubType: update.SubType }),
    Status: "STARTED",
    StartTimestamp: now,
  };
  const ended = (status: OperationRecord["Status"]): OperationRecord => ({ ...base, Status: status, EndTimestamp: now });
  const refuse = (what: string) => invalidUpdate(`${what} (operation ${update.Id} is ${existing ? existing.Status : "not started"}).`);
  const noPayloadOnFail = () => {
    if (update.Action === "FAIL" && update.Payload != null) throw invalidUpdate("Cannot provide a Payload for FAIL action.");
    if (update.Action === "SUCCEED" && update.Error != null) throw invalidUpdate("Cannot provide an Error for SUCCEED action.");
  };

  switch (update.Type) {
    case "STEP": {
      const attempts = existing?.StepDetails?.Attempt ?? 0;
      switch (update.Action) {
        case "START":
          // A new step, or the next attempt of one whose retry delay has passed.
          if (existing && existing.Status !== "READY") throw refuse("Invalid current STEP state to start");
          return { ...base, Status: "STARTED" };
        case "SUCCEED":
        case "FAIL":
          if (existing && existing.Status !== "STARTED" && existing.Status !== "READY") throw refuse("Invalid current STEP state to close");
          noPayloadOnFail();
          return {
            ...ended(update.Action === "SUCCEED" ? "SUCCEEDED" : "FAILED"),
            StepDetails: update.Action === "SUCCEED" ? { Attempt: attempts + 1, Result: update.Payload } : { Attempt: attempts + 1, Error: update.Error },
          };
        case "RETRY": {
          if (existing && existing.Status !== "STARTED" && existing.Status !== "READY") throw refuse("Invalid current STEP state to re-attempt");
          if (update.StepOptions == null) throw invalidUpdate(`Invalid StepOptions for the given action (RETRY of operation ${update.Id} needs StepOptions.NextAttemptDelaySeconds).`);
          if (update.Error != null && update.Payload != null) throw invalidUpdate("Cannot provide both error and payload to RETRY a STEP.");
          const delaySeconds = nonNegative(update.StepOptions.NextAttemptDelaySeconds, "StepOptions.NextAttemptDelaySeconds", update.Id);
          return {
            ...base,
            Status: "PENDING",
            EndTimestamp: undefined,
            // The attempt that ended, the state a waitForCondition carries to its next check, or the attempt's error.
            StepDetails: { Attempt: attempts + 1, NextAttemptTimestamp: new Date(now.getTime() + delaySeconds * 1000), Result: update.Payload, Error: update.Error },
          };
        }
      }
      break;
    }
    case "CONTEXT": {
      if (update.Action === "START") {
        if (existing) throw refuse("Cannot start a CONTEXT that already exists");
        const replayChildren = update.ContextOptions?.ReplayChildren;
        return replayChildren === undefined ? base : { ...base, ContextDetails: { ReplayChildren: replayChildren } };
      }
      if (existing && existing.Status !== "STARTED") throw refuse("Invalid current CONTEXT state to close");
      noPayloadOnFail();
      const replayChildren = update.ContextOptions?.ReplayChildren ?? existing?.ContextDetails?.ReplayChildren;
      const details = update.Action === "SUCCEED" ? { Result: update.Payload } : { Error: update.Error };
      return { ...ended(update.Action === "SUCCEED" ? "SUCCEEDED" : "FAILED"), ContextDetails: replayChildren === undefined ? details : { ...details, ReplayChildren: replayChildren } };
    }
    case "WAIT": {
      if (update.Action === "START") {
        if (existing) throw refuse("Cannot start a WAIT that already exists");
        const seconds = nonNegative(update.WaitOptions?.WaitSeconds, "WaitOptions.WaitSeconds", update.Id);
        return { ...base, WaitDetails: { ScheduledEndTimestamp: new Date(now.getTime() + seconds * 1000) }, WaitOptions: { WaitSeconds: seconds } };
      }
      if (existing?.Status !== "STARTED") throw refuse("Cannot cancel a WAIT that does not exist or has already completed");
      return ended("CANCELLED");
    }
    case "CALLBACK": {
      if (update.Action === "START") {
        if (existing) throw refuse("Cannot start a CALLBACK that already exists");
        const timeout = optionalNonNegative(update.CallbackOptions?.TimeoutSeconds, "CallbackOptions.TimeoutSeconds", update.Id);
        const heartbeat = optionalNonNegative(update.CallbackOptions?.HeartbeatTimeoutSeconds, "CallbackOptions.HeartbeatTimeoutSeconds", update.Id);
        const options = { ...(timeout !== undefined && { TimeoutSeconds: timeout }), ...(heartbeat !== undefined && { HeartbeatTimeoutSeconds: heartbeat }) };
        return { ...base, CallbackDetails: { CallbackId: context.newCallbackId() }, ...(Object.keys(options).length > 0 && { CallbackOptions: options }) };
      }
      if (existing?.Status !== "STARTED") throw refuse("Cannot cancel a CALLBACK that does not exist or has already completed");
      return ended("CANCELLED");
    }
    case "CHAINED_INVOKE": {
      if (update.Action === "START") {
        if (existing) throw refuse("Cannot start a CHAINED_INVOKE that already exists");
        const functionName = update.ChainedInvokeOptions?.FunctionName;
        if (typeof functionName !== "string" || functionName.length === 0) throw invalidUpdate(`CHAINED_INVOKE ${update.Id} needs ChainedInvokeOptions.FunctionName.`);
        const tenantId = update.ChainedInvokeOptions?.TenantId;
        return { ...base, ChainedInvokeOptions: { FunctionName: functionName, ...(tenantId != null && { TenantId: tenantId }), ...(update.Payload != null && { InputPayload: update.Payload }) } };
      }
      if (existing?.Status !== "STARTED") throw refuse("Cannot cancel a CHAINED_INVOKE that does not exist or has already completed");
      return ended("STOPPED");
    }
  }
  throw invalidUpdate(`Invalid action ${update.Action} for a ${update.Type} operation (${update.Id}).`);
}

function nonNegative(value: number | undefined, field: string, id: string): number {
  const seconds = value ?? 0;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) throw invalidUpdate(`Invalid ${field} ${JSON.stringify(value)} for operation ${id}: use a number of seconds, 0 or more.`);
  return seconds;
}

function optionalNonNegative(value: number | undefined, field: string, id: string): number | undefined {
  return value === undefined || value === null ? undefined : nonNegative(value, field, id);
}
