// 7-7: waitForCallback named by the input whose submitter always throws, with a retry policy
// of 2 attempts 1 second apart: the submitter's step fails twice, the operation fails, and so
// does the execution. The callback is never completed.
import { createRetryStrategy, JitterStrategy, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.waitForCallback(
    event,
    async () => {
      throw new Error("the submitter could not reach the outside system");
    },
    { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: JitterStrategy.NONE }) },
  );
});
