// 1-14: a step fails twice then succeeds; retry strategy: 5 attempts, 2 s initial delay,
// backoff rate 3, no jitter (delays 2 s, then 6 s). The attempt count comes from the step
// context (the requirement keeps it in DynamoDB; the SDK already carries it across invocations).
import { createRetryStrategy, JitterStrategy, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.step(
    async (stepContext) => {
      if (stepContext.attempt <= 2) throw new Error(`attempt ${stepContext.attempt} fails`);
      return `succeeded on attempt ${stepContext.attempt}`;
    },
    { retryStrategy: createRetryStrategy({ maxAttempts: 5, initialDelay: { seconds: 2 }, backoffRate: 3, jitter: JitterStrategy.NONE }) },
  );
});
