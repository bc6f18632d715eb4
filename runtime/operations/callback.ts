import { randomBytes } from "node:crypto";
import type { ContextScope } from "../context-scope.js";
import { durationToSeconds } from "../duration.js";
import { DurablePromise } from "../durable-promise.js";
import { CallbackExternalError, CallbackTimeoutError } from "../errors.js";
import { OperationSubType, type OperationRecord } from "../operation-model.js";
import { passThroughDeserializer, type AnySerdesDeserializer } from "../serdes.js";
import type { CreateCallbackConfig, CreateCallbackResult } from "../types.js";

/**
 * Callback ids travel to other systems and complete the operation they name, so they must
 * not be guessable: 144 random bits. The host maps an id to its execution and operation
 * (the record holds it); replays read it back from the record.
 */
export function newCallbackId(): string {
  // The leading letter keeps ids from starting with "-", which command lines read as an option.
  return `c${randomBytes(18).toString("base64url")}`;
}

export function createCallback<T>(scope: ContextScope, name: string | undefined, config: CreateCallbackConfig<T> | undefined): DurablePromise<CreateCallbackResult<T>> {
  const { ready } = scope.cursor.claim({ type: "CALLBACK", subType: OperationSubType.CALLBACK, name });
  return new DurablePromise(async () => {
    const { id, record } = await ready;
    let current = record;
    if (!current) {
      current = {
        Id: id,
        ParentId: scope.parentId,
        Name: name,
        Type: "CALLBACK",
        SubType: OperationSubType.CALLBACK,
        Status: "STARTED",
        StartTimestamp: scope.now(),
        CallbackDetails: { CallbackId: newCallbackId() },
        CallbackOptions: {
          TimeoutSeconds: config?.timeout ? durationToSeconds(config.timeout) : undefined,
          HeartbeatTimeoutSeconds: config?.heartbeatTimeout ? durationToSeconds(config.heartbeatTimeout) : undefined,
        },
      };
      await scope.write(current);
      if (scope.invocation.plugins) await scope.invocation.plugins.operationStart(current, false);
    } else if (scope.invocation.plugins) await scope.invocation.plugins.metRecorded(current);
    const deserializer: AnySerdesDeserializer = config?.serdes ?? scope.invocation.serdesConfig.defaultCallbackDeserializer ?? passThroughDeserializer;
    const outcome = new DurablePromise<T>(() => callbackOutcome<T>(scope, current, deserializer));
    return [outcome, current.CallbackDetails?.CallbackId ?? ""] as CreateCallbackResult<T>;
  });
}

async function callbackOutcome<T>(scope: ContextScope, record: OperationRecord, deserializer: AnySerdesDeserializer): Promise<T> {
  const details = record.CallbackDetails;
  switch (record.Status) {
    case "SUCCEEDED":
      return scope.deserialize<T>(deserializer, details?.Result, record);
    case "TIMED_OUT":
      throw new CallbackTimeoutError(details?.Error?.ErrorMessage || "Callback timed out");
    case "FAILED":
    case "CANCELLED":
    case "STOPPED": {
      const cause = new Error(details?.Error?.ErrorMessage);
      cause.name = details?.Error?.ErrorType || "Error";
      throw new CallbackExternalError(details?.Error?.ErrorMessage || "Callback failed", cause, details?.Error?.ErrorData);
    }
    default: {
      const hooks = scope.invocation.plugins;
      if (hooks) return scope.invocation.suspend(record.Id, async (current) => (await hooks.resumed(current), callbackOutcome<T>(scope, current, deserializer)));
      return scope.invocation.suspend(record.Id, (current) => callbackOutcome<T>(scope, current, deserializer));
    }
  }
}
