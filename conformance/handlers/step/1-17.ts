// 1-17: a step named "at_most_once_flaky_step" with AtMostOncePerRetry semantics and no
// retries logs the input, then crashes the process. The next invocation finds the step
// started and never finished: StepInterruptedError, no retry, the execution fails.
import { retryPresets, StepSemantics, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.step(
    "at_most_once_flaky_step",
    async (stepContext): Promise<string> => {
      stepContext.logger.info(`at-most-once step running for ${event}`);
      process.exit(1);
    },
    { semantics: StepSemantics.AtMostOncePerRetry, retryStrategy: retryPresets.noRetry },
  );
});
