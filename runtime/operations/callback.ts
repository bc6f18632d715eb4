import type { ContextScope } from "../context-scope.js";
import { durationToSeconds } from "../duration.js";
import { DurablePromise } from "../durable-promise.js";
import { CallbackExternalError, CallbackTimeoutError } from "../errors.js";
import { OperationSubType, type OperationRecord } from "../operation-model.js";
import { passThroughDeserializer, type AnySerdesDeserializer } from "../serdes.js";
import type { CreateCallbackConfig, CreateCallbackResult } from "../types.js";

/** Callback ids are opaque to users; this one names the execution and the operation. */
export function callbackIdFor(executionArn: string, operationId: string): string {
  return Buffer.from(JSON.stringify({ executionArn, operationId }), "utf8").toString("base64url");
}

export function parseCallbackId(callbackId: string): { executionArn: string; operationId: string } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(callbackId, "base64url").toString("utf8")) as { executionArn?: unknown; operationId?: unknown };
    return typeof parsed.executionArn === "string" && typeof parsed.operationId === "string"
      ? { executionArn: parsed.executionArn, operationId: parsed.operationId }
      : undefined;
  } catch {
    return undefined;
  }
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
        CallbackDetails: { CallbackId: callbackIdFor(scope.invocation.executionArn, id) },
        CallbackOptions: {
          TimeoutSeconds: config?.timeout ? durationToSeconds(config.timeout) : undefined,
          HeartbeatTimeoutSeconds: config?.heartbeatTimeout ? durationToSeconds(config.heartbeatTimeout) : undefined,
        },
      };
      await scope.write(current);
    }
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
    default:
      return scope.invocation.suspend(record.Id, (current) => callbackOutcome<T>(scope, current, deserializer));
  }
}
