// 8-8: parallel named "min-successful", four branches, min-successful 2, one at a time: it
// completes after branches 0 and 1. Returns {completionReason, successCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel("min-successful", [async () => "b0", async () => "b1", async () => "b2", async () => "b3"], {
    maxConcurrency: 1,
    completionConfig: { minSuccessful: 2 },
  });
  return { completionReason: batch.completionReason, successCount: batch.successCount, totalCount: batch.totalCount };
});
