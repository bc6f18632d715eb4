// 1-16: a step throws a TransientError; its retry strategy does not retry TransientError, so
// the step fails at once and the execution fails.
import { withDurableExecution, type DurableContext, type RetryDecision } from "@aws/durable-execution-sdk-js";

class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransientError";
  }
}

const noRetryOnTransientError = (error: Error, _attempt: number): RetryDecision =>
  error.name === "TransientError" || error instanceof TransientError ? { shouldRetry: false } : { shouldRetry: true, delay: { seconds: 1 } };

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.step(
    async (): Promise<string> => {
      throw new TransientError("a transient failure");
    },
    { retryStrategy: noRetryOnTransientError },
  );
});
