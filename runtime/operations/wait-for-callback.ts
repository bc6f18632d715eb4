import type { ContextScope } from "../context-scope.js";
import { sourcePositionOf } from "../context-scope.js";
import type { DurablePromise } from "../durable-promise.js";
import { CallbackError, CallbackSubmitterError, DurableOperationError, StepError } from "../errors.js";
import { OperationSubType } from "../operation-model.js";
import type { DurableLogger, WaitForCallbackConfig, WaitForCallbackSubmitterFunc } from "../types.js";
import { createCallback } from "./callback.js";
import { childContext } from "./child-context.js";
import { step } from "./step.js";

/** A child context holding the callback and a step that hands its id to the outside world. */
export function waitForCallback<T>(
  scope: ContextScope,
  name: string | undefined,
  submitter: WaitForCallbackSubmitterFunc<DurableLogger>,
  config: WaitForCallbackConfig<T> | undefined,
): DurablePromise<T> {
  return childContext<T>(
    scope,
    name,
    async (child) => {
      const [outcome, callbackId] = await createCallback<T>(child, undefined, {
        ...(config?.timeout ? { timeout: config.timeout } : {}),
        ...(config?.heartbeatTimeout ? { heartbeatTimeout: config.heartbeatTimeout } : {}),
        ...(config?.serdes ? { serdes: config.serdes } : {}),
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
}
