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
 * handler back with durableHandlerOf and drive its invocations against a journal.
 */
export const withDurableExecution = <TEvent = any, TResult = any, TLogger extends DurableLogger = DurableLogger>(
  handler: DurableExecutionHandler<TEvent, TResult, TLogger>,
  config?: DurableExecutionConfig,
): DurableLambdaHandler => {
  const lambda = async () => {
    throw new Error(
      "This replayable handler was called directly. Run it with LocalDurableTestRunner from replayable/testing or the replayable engine; " +
        "to deploy to AWS Lambda, import withDurableExecution from @aws/durable-execution-sdk-js (same API).",
    );
  };
  return Object.assign(lambda, { [DURABLE_HANDLER]: { handler: handler as unknown as DurableExecutionHandler, config } });
};

export function durableHandlerOf(fn: unknown): RegisteredDurableHandler | undefined {
  if (typeof fn !== "function") return undefined;
  return (fn as Partial<DurableLambdaHandler>)[DURABLE_HANDLER];
}
