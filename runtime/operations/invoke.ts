import type { ContextScope } from "../context-scope.js";
import { DurablePromise } from "../durable-promise.js";
import { InvokeError } from "../errors.js";
import { OperationSubType, type OperationRecord } from "../operation-model.js";
import type { InvokeConfig } from "../types.js";

/** Records the request; the host runs the target and records its outcome between invocations. */
export function invoke<I, O>(scope: ContextScope, name: string | undefined, functionName: string, input: I | undefined, config: InvokeConfig<I, O> | undefined): DurablePromise<O> {
  const { ready } = scope.cursor.claim({ type: "CHAINED_INVOKE", subType: OperationSubType.CHAINED_INVOKE, name });
  return new DurablePromise(async () => {
    const { id, record } = await ready;
    const hooks = scope.invocation.plugins;
    if (record) {
      if (hooks) await hooks.metRecorded(record);
      return invokeOutcome<O>(scope, record, config);
    }
    const base = { Id: id, ParentId: scope.parentId, Name: name, Type: "CHAINED_INVOKE", SubType: OperationSubType.CHAINED_INVOKE } as const;
    const payload = await scope.serialize(config?.payloadSerdes ?? scope.defaultSerdes, input, base);
    const started: OperationRecord = {
      ...base,
      Status: "STARTED",
      StartTimestamp: scope.now(),
      ChainedInvokeOptions: { FunctionName: functionName, TenantId: config?.tenantId, InputPayload: payload },
    };
    await scope.write(started);
    if (hooks) await hooks.operationStart(started, false);
    return invokeOutcome<O>(scope, started, config);
  });
}

/** A recorded invoke: its result, its error, or suspended until the host records the outcome. */
function invokeOutcome<O>(scope: ContextScope, record: OperationRecord, config: Pick<InvokeConfig<unknown, O>, "resultSerdes"> | undefined): Promise<O> {
  if (record.Status === "SUCCEEDED") return scope.deserialize<O>(config?.resultSerdes ?? scope.defaultSerdes, record.ChainedInvokeDetails?.Result, record);
  if (["FAILED", "TIMED_OUT", "STOPPED", "CANCELLED"].includes(record.Status)) {
    const e = record.ChainedInvokeDetails?.Error;
    const cause = new Error(e?.ErrorMessage);
    cause.name = e?.ErrorType ?? "Error";
    throw new InvokeError(e?.ErrorMessage, cause, e?.ErrorData);
  }
  const hooks = scope.invocation.plugins;
  if (hooks) return scope.invocation.suspend(record.Id, async (current) => (await hooks.resumed(current), invokeOutcome<O>(scope, current, config)));
  return scope.invocation.suspend(record.Id, (current) => invokeOutcome<O>(scope, current, config));
}
