// 1-11: a step fails on its first attempt and succeeds on its second (retry after 1 s).
import { createRetryStrategy, JitterStrategy, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.step(
    async (stepContext) => {
      if (stepContext.attempt === 1) throw new Error("unreliable: first attempt fails");
      return "Operation succeeded";
    },
    { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: JitterStrategy.NONE }) },
  );
});
