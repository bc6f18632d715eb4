// 1-18: a step with AtMostOncePerRetry semantics and a retry strategy logs the input, crashes
// the process on its first attempt, and succeeds on its second.
import { createRetryStrategy, JitterStrategy, StepSemantics, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.step(
    async (stepContext) => {
      stepContext.logger.info(`at-most-once step running for ${event}`);
      if (stepContext.attempt === 1) process.exit(1);
      return "succeeded on second attempt";
    },
    {
      semantics: StepSemantics.AtMostOncePerRetry,
      retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: JitterStrategy.NONE }),
    },
  );
});
