import { isDurableInvocationEvent, runLambdaInvocation } from "./lambda/run-lambda-invocation.js";
import type { DurableExecutionConfig, DurableExecutionHandler, DurableLogger } from "./types.js";

const DURABLE_HANDLER = Symbol.for("replayable.durableHandler");

export interface RegisteredDurableHandler {
  handler: DurableExecutionHandler;
  config: DurableExecutionConfig | undefined;
}

/** What withDurableExecution returns: a Lambda-shaped function that carries the durable handler. */
export type DurableLambdaHandler = ((event: unknown, context?: unknown) => Promise<unknown>) & {
  readonly [DURABLE_HANDLER]: RegisteredDurableHandler;
};

/**
 * Marks a handler as durable. Hosts (LocalDurableTestRunner, the local engine) read the
 * handler back with durableHandlerOf and drive its invocations against a journal; on Lambda
 * (or `replayable serve`), the function answers durable invocation events (runtime/lambda/).
 */
export const withDurableExecution = <TEvent = any, TResult = any, TLogger extends DurableLogger = DurableLogger>(
  handler: DurableExecutionHandler<TEvent, TResult, TLogger>,
  config?: DurableExecutionConfig,
): DurableLambdaHandler => {
  const registered: RegisteredDurableHandler = { handler: handler as unknown as DurableExecutionHandler, config };
  const lambda = async (event: unknown, context?: unknown) => {
    if (isDurableInvocationEvent(event)) return runLambdaInvocation(registered, event, context, config?.client);
    throw new Error(
      "This replayable handler was called with an event that is not a durable invocation (DurableExecutionArn, CheckpointToken, " +
        "InitialExecutionState). On Lambda, give the function a DurableConfig; locally, run it with LocalDurableTestRunner from " +
        "replayable/testing, the replayable engine, or `replayable serve`.",
    );
  };
  return Object.assign(lambda, { [DURABLE_HANDLER]: registered });
};

export function durableHandlerOf(fn: unknown): RegisteredDurableHandler | undefined {
  if (typeof fn !== "function") return undefined;
  return (fn as Partial<DurableLambdaHandler>)[DURABLE_HANDLER];
}
