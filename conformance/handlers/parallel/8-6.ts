// 8-6: parallel named "failfast", three branches, fail-fast (tolerated failure count 0), one
// at a time: branch 0 returns "ok", branch 1 throws, branch 2 never starts. Returns
// {completionReason, status, successCount, failureCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel(
    "failfast",
    [
      async () => "ok",
      async (): Promise<string> => {
        throw new Error("branch 1 failed");
      },
      async () => "never",
    ],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
  );
  const { completionReason, status, successCount, failureCount, totalCount } = batch;
  return { completionReason, status, successCount, failureCount, totalCount };
});
