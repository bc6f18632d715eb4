// 8-22: parallel named "pct-boundary", four branches tolerating 25% failures: branch 0 fails
// (exactly 25%, not over), branches 1-3 succeed; all run.
// Returns {completionReason, status, successCount, failureCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel(
    "pct-boundary",
    [
      async (): Promise<string> => {
        throw new Error("branch 0 failed");
      },
      async () => "b1",
      async () => "b2",
      async () => "b3",
    ],
    { maxConcurrency: 1, completionConfig: { toleratedFailurePercentage: 25 } },
  );
  const { completionReason, status, successCount, failureCount, totalCount } = batch;
  return { completionReason, status, successCount, failureCount, totalCount };
});
