// 3-8: a child context whose step always fails, 2 attempts in all: after the retry the child
// fails, and so does the execution.
import { createRetryStrategy, JitterStrategy, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.runInChildContext("exhausted-child", async (child) =>
    child.step(
      async (stepContext): Promise<string> => {
        throw new Error(`attempt ${stepContext.attempt} fails`);
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: JitterStrategy.NONE }) },
    ),
  );
});
