// 1-12: a step always fails; 4 attempts in all (1 + 3 retries), 1 s apart; then the execution fails.
import { createRetryStrategy, JitterStrategy, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.step(
    async (stepContext): Promise<string> => {
      throw new Error(`always fails (attempt ${stepContext.attempt})`);
    },
    { retryStrategy: createRetryStrategy({ maxAttempts: 4, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: JitterStrategy.NONE }) },
  );
});
