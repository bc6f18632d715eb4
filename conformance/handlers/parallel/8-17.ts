// 8-17: parallel named "min-not-reached", three branches with min-successful 3: branch 1
// throws, so the minimum is never reached and all three run.
// Returns {completionReason, status, successCount, failureCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel(
    "min-not-reached",
    [
      async () => "b0",
      async (): Promise<string> => {
        throw new Error("branch 1 failed");
      },
      async () => "b2",
    ],
    { maxConcurrency: 1, completionConfig: { minSuccessful: 3 } },
  );
  const { completionReason, status, successCount, failureCount, totalCount } = batch;
  return { completionReason, status, successCount, failureCount, totalCount };
});
