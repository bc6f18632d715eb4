// 1-19: a step always throws and has no retries: it fails at once and the execution fails.
import { retryPresets, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.step(
    async (): Promise<string> => {
      throw new Error("failing_func always fails");
    },
    { retryStrategy: retryPresets.noRetry },
  );
});
