import type { ContextScope } from "../context-scope.js";
import { DurablePromise } from "../durable-promise.js";
import { InvokeError } from "../errors.js";
import { OperationSubType } from "../operation-model.js";
import type { InvokeConfig } from "../types.js";

/** Records the request; the host runs the target and records its outcome between invocations. */
export function invoke<I, O>(scope: ContextScope, name: string | undefined, functionName: string, input: I | undefined, config: InvokeConfig<I, O> | undefined): DurablePromise<O> {
  const { ready } = scope.cursor.claim({ type: "CHAINED_INVOKE", subType: OperationSubType.CHAINED_INVOKE, name });
  return new DurablePromise(async () => {
    const { id, record } = await ready;
    const { invocation } = scope;
    if (record?.Status === "SUCCEEDED") return scope.deserialize<O>(config?.resultSerdes ?? scope.defaultSerdes, record.ChainedInvokeDetails?.Result, record);
    if (record && ["FAILED", "TIMED_OUT", "STOPPED", "CANCELLED"].includes(record.Status)) {
      const e = record.ChainedInvokeDetails?.Error;
      const cause = new Error(e?.ErrorMessage);
      cause.name = e?.ErrorType ?? "Error";
      throw new InvokeError(e?.ErrorMessage, cause, e?.ErrorData);
    }
    if (!record) {
      const base = { Id: id, ParentId: scope.parentId, Name: name, Type: "CHAINED_INVOKE", SubType: OperationSubType.CHAINED_INVOKE } as const;
      const payload = await scope.serialize(config?.payloadSerdes ?? scope.defaultSerdes, input, base);
      await scope.write({
        ...base,
        Status: "STARTED",
        StartTimestamp: scope.now(),
        ChainedInvokeOptions: { FunctionName: functionName, TenantId: config?.tenantId, InputPayload: payload },
      });
    }
    return invocation.suspend();
  });
}
