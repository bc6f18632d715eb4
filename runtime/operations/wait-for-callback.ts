import type { ContextScope } from "../context-scope.js";
import { sourcePositionOf } from "../context-scope.js";
import { DurablePromise } from "../durable-promise.js";
import { CallbackError, CallbackSubmitterError, DurableOperationError, StepError } from "../errors.js";
import { OperationSubType } from "../operation-model.js";
import { passThroughDeserializer, type AnySerdesDeserializer, type Serdes } from "../serdes.js";
import type { DurableLogger, WaitForCallbackConfig, WaitForCallbackSubmitterFunc } from "../types.js";
import { createCallback } from "./callback.js";
import { childContext } from "./child-context.js";
import { step } from "./step.js";

/**
 * A child context holding the callback and a step that hands its id to the outside world.
 * As the official SDK: the context's result is the callback's raw text, and config.serdes
 * deserializes it outside the context, so the deserialized value is never serialized again
 * (a serdes may return what JSON cannot hold, and need not have a serialize).
 */
export function waitForCallback<T>(
  scope: ContextScope,
  name: string | undefined,
  submitter: WaitForCallbackSubmitterFunc<DurableLogger>,
  config: WaitForCallbackConfig<T> | undefined,
): DurablePromise<T> {
  let contextId: string | undefined;
  const raw = childContext<string | undefined>(
    scope,
    name,
    async (child) => {
      contextId = child.parentId;
      const [outcome, callbackId] = await createCallback<string | undefined>(child, undefined, {
        ...(config?.timeout ? { timeout: config.timeout } : {}),
        ...(config?.heartbeatTimeout ? { heartbeatTimeout: config.heartbeatTimeout } : {}),
        serdes: passThroughDeserializer as Serdes<string | undefined>,
      });
      try {
        const description = `the submitter of waitForCallback${name !== undefined ? ` "${name}"` : ` (id ${child.parentId})`}`;
        await step(child, undefined, async (ctx) => submitter(callbackId, { logger: ctx.logger }), config?.retryStrategy ? { retryStrategy: config.retryStrategy } : undefined, description);
      } catch (error) {
        const cause = error instanceof StepError && error.cause ? error.cause : (error as Error);
        throw new CallbackSubmitterError(cause.message, cause);
      }
      return outcome;
    },
    {
      subType: OperationSubType.WAIT_FOR_CALLBACK,
      sourcePosition: sourcePositionOf(config, submitter),
      // Callback failures reach the caller as CallbackError, not wrapped in ChildContextError.
      wrapError: (error: DurableOperationError) => (error instanceof CallbackError ? error : new CallbackError(error.message, error, error.errorData)),
    },
  );
  const deserializer: AnySerdesDeserializer = config?.serdes ?? scope.invocation.serdesConfig.defaultCallbackDeserializer ?? passThroughDeserializer;
  return new DurablePromise<T>(async () =>
    scope.deserialize<T>(deserializer, await raw, { Id: contextId ?? name ?? "", Name: name, Type: "CONTEXT", SubType: OperationSubType.WAIT_FOR_CALLBACK }),
  );
}
