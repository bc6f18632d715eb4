// 8-9: parallel named "tolerated", three branches tolerating one failure, one at a time:
// branch 1 throws, 0 and 2 succeed. Returns {completionReason, status, successCount, failureCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel(
    "tolerated",
    [
      async () => "b0",
      async (): Promise<string> => {
        throw new Error("branch 1 failed");
      },
      async () => "b2",
    ],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
  );
  const { completionReason, status, successCount, failureCount, totalCount } = batch;
  return { completionReason, status, successCount, failureCount, totalCount };
});
