// 3-7: a child context whose step fails on its first attempt and succeeds on its second
// (retry strategy on the step), returning the input.
import { createRetryStrategy, JitterStrategy, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.runInChildContext("retrying-child", async (child) =>
    child.step(
      async (stepContext) => {
        if (stepContext.attempt === 1) throw new Error("first attempt fails");
        return event;
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: JitterStrategy.NONE }) },
    ),
  );
});
